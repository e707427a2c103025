// Bi-encoder on transformers.js: texts → L2-normalised vectors (core's TextEmbedder).
// Isomorphic: no node: imports, so the browser's Web Worker runs this same module.
// Tokenization is ours (see text/bert-inputs.ts) so ids equal Python's; the ONNX graph is
// fed only the inputs it declares (pkgs-static takes input_ids alone).
import { AutoModel, AutoTokenizer, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { TextEmbedder, TextRole } from '../core/models';
import { buildSingle, singleRoom, type EncodedInput, type SingleTemplate } from './text/bert-inputs';
import { poolInto } from './text/pooling';
import { alignTokenSpans } from './text/token-spans';
import { encodeHead, readTemplates } from './text/templates';
import { pretrainedOptions, withModelSource, type Dtype, type ModelRunSettings, type ModelSource } from './model-source';
import type { Pooling } from '../core/spec/member-spec';
import { modelBatches } from './model-batches';
import { runModel } from './run-model';

/** batchSize defaults to 32 texts, maxBatchTokens to 8192. */
export interface EmbedderSettings extends ModelRunSettings {
  pooling?: Pooling;
  /** L2-normalise each vector (default true); false keeps raw pooled vectors (dot-product scoring). */
  normalize?: boolean;
  queryPrefix?: string;
  docPrefix?: string;
  /** Document limit in tokens including specials (default 256). */
  maxLen?: number;
  /** Query limit in tokens including specials (default 32). */
  queryMaxLen?: number;
}

export interface TransformersEmbedder extends TextEmbedder {
  tokenSpans(text: string): Promise<Array<[number, number]>>;
  /** Token ids exactly as fed to the model (specials included): for parity tests. */
  encode(texts: string[], role: TextRole): EncodedInput[];
  readonly inputNames: readonly string[];
  dispose(): Promise<void>;
}

export async function loadEmbedder(source: ModelSource, settings: EmbedderSettings = {}): Promise<TransformersEmbedder> {
  const dtype = settings.dtype ?? 'fp32';
  const { tokenizer, model } = await withModelSource(source, async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(source.id);
    const model = await AutoModel.from_pretrained(source.id, pretrainedOptions(dtype, settings, source));
    return { tokenizer, model };
  });
  const embedder = new Embedder(source, settings, dtype, tokenizer, model);
  await embedder.init();
  return embedder;
}

class Embedder implements TransformersEmbedder {
  readonly key: string;
  dim = 0;
  readonly inputNames: readonly string[];
  private readonly template: SingleTemplate;
  private readonly pooling: Pooling;
  private readonly normalize: boolean;
  private readonly maxLen: number;
  private readonly queryMaxLen: number;

  constructor(
    source: ModelSource,
    private readonly settings: EmbedderSettings,
    dtype: Dtype,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
  ) {
    this.pooling = settings.pooling ?? 'mean';
    this.normalize = settings.normalize ?? true;
    this.maxLen = settings.maxLen ?? 256;
    this.queryMaxLen = settings.queryMaxLen ?? 32;
    this.template = readTemplates(tokenizer).single;
    this.inputNames = sessionInputNames(model);
    // Everything that changes a vector, so a cache never mixes settings.
    this.key = [
      source.key ?? source.id,
      dtype,
      this.pooling,
      `d${this.maxLen}`,
      `q${this.queryMaxLen}`,
      `qp=${JSON.stringify(settings.queryPrefix ?? '')}`,
      `dp=${JSON.stringify(settings.docPrefix ?? '')}`,
      // Appended only when off, so keys (and caches) of normalised vectors stay as they were.
      ...(this.normalize ? [] : ['raw']),
    ].join('|');
  }

  /** Learns the output size from one tiny call (config.hidden_size is not always the output). */
  async init(): Promise<void> {
    const probe = await this.runBatch([buildSingle([], this.maxLen, this.template)]);
    this.dim = probe.dim;
  }

  encode(texts: string[], role: TextRole): EncodedInput[] {
    const prefix = (role === 'query' ? this.settings.queryPrefix : this.settings.docPrefix) ?? '';
    const maxLen = role === 'query' ? this.queryMaxLen : this.maxLen;
    const room = singleRoom(maxLen, this.template);
    return texts.map((t) => buildSingle(encodeHead(this.tokenizer, prefix + t, room), maxLen, this.template));
  }

  async embed(texts: string[], role: TextRole): Promise<Float32Array> {
    const out = new Float32Array(texts.length * this.dim);
    if (texts.length === 0) return out;
    const inputs = this.encode(texts, role);
    for (const rows of modelBatches(inputs, this.settings)) {
      const { hidden, mask, seqLen, dim } = await this.runBatch(rows.map((r) => inputs[r]));
      poolInto(hidden, mask, rows.length, seqLen, dim, this.pooling, out, rows, this.normalize);
    }
    return out;
  }

  async tokenSpans(text: string): Promise<Array<[number, number]>> {
    return alignTokenSpans(text, this.tokenizer.tokenize(text), this.tokenizer.unk_token ?? '[UNK]');
  }

  private async runBatch(batch: EncodedInput[]) {
    const { output, mask, seqLen } = await runModel(this.model, this.inputNames, batch, this.tokenizer.pad_token_id ?? 0, 'last_hidden_state');
    const dims = output.dims as number[];
    const dim = dims[dims.length - 1];
    return { hidden: output.data as Float32Array, mask, seqLen, dim };
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}

export function sessionInputNames(model: PreTrainedModel): string[] {
  const session = (model as unknown as { sessions?: Record<string, { inputNames?: string[] }> }).sessions?.model;
  return session?.inputNames ?? ['input_ids', 'attention_mask', 'token_type_ids'];
}

