// One padded batch through a transformers.js model, feeding only the inputs its ONNX graph
// declares (pkgs-static declares input_ids alone; BERT adds attention_mask, token_type_ids).
import { Tensor, type PreTrainedModel } from '@huggingface/transformers';
import type { EncodedInput } from './text/bert-inputs';

export async function runModel(
  model: PreTrainedModel,
  inputNames: readonly string[],
  batch: EncodedInput[],
  padId: number,
  outputName: string,
): Promise<{ output: Tensor; mask: BigInt64Array; seqLen: number }> {
  const seqLen = Math.max(...batch.map((x) => x.inputIds.length));
  const n = batch.length;
  const ids = new BigInt64Array(n * seqLen).fill(BigInt(padId));
  const mask = new BigInt64Array(n * seqLen);
  const types = new BigInt64Array(n * seqLen);
  batch.forEach((x, b) => {
    const off = b * seqLen;
    for (let t = 0; t < x.inputIds.length; t++) {
      ids[off + t] = BigInt(x.inputIds[t]);
      mask[off + t] = 1n;
      types[off + t] = BigInt(x.tokenTypeIds[t]);
    }
  });
  const all: Record<string, Tensor> = {
    input_ids: new Tensor('int64', ids, [n, seqLen]),
    attention_mask: new Tensor('int64', mask, [n, seqLen]),
    token_type_ids: new Tensor('int64', types, [n, seqLen]),
  };
  const feeds: Record<string, Tensor> = {};
  for (const name of inputNames) {
    if (!(name in all)) throw new Error(`model input "${name}" is not supported (expected input_ids, attention_mask, token_type_ids)`);
    feeds[name] = all[name];
  }
  const result = (await (model as unknown as (f: Record<string, Tensor>) => Promise<Record<string, Tensor>>)(feeds)) as Record<string, Tensor>;
  const raw = result[outputName];
  if (!raw) throw new Error(`model returned no "${outputName}" (got ${Object.keys(result).join(', ')})`);
  // fp16 exports return float16 outputs (Uint16Array bits): read as float32 like every other graph.
  const output = raw.type === 'float32' ? raw : raw.to('float32');
  return { output, mask, seqLen };
}
