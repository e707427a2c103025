// Cross-encoder on transformers.js: (query, document) pairs → raw logits (core's PairScorer).
// Never the text-classification pipeline: it softmaxes a one-label model into 1.0 for every
// pair. Pairs are built and truncated longest-first ourselves (see text/bert-inputs.ts).
import { AutoModelForSequenceClassification, AutoTokenizer, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { PairScorer } from '../core/models';
import { buildPair, type EncodedInput, type PairTemplate } from './text/bert-inputs';
import { encodeHead, readTemplates } from './text/templates';
import { sessionInputNames } from './embedder';
import { pretrainedOptions, withModelSource, type Dtype, type ModelRunSettings, type ModelSource } from './model-source';
import { modelBatches } from './model-batches';
import { runModel } from './run-model';

export interface CrossEncoderSettings extends ModelRunSettings {
  /** Pair limit in tokens including specials (default 192). */
  maxLen?: number;
}

/** A cross-encoder's tokenizer alone (no ONNX session): enough to write LCE token ids. */
export interface PairTokenizer {
  /**
   * Content token ids of one text (no special tokens), cut to what one side of a pair can
   * hold within maxLen: the `query` / `passage` ids of luyug/Reranker's group files.
   */
  tokenIds(text: string): number[];
}

export interface TransformersCrossEncoder extends PairScorer, PairTokenizer {
  encode(pairs: Array<[string, string]>): EncodedInput[];
  dispose(): Promise<void>;
}

export async function loadCrossEncoder(source: ModelSource, settings: CrossEncoderSettings = {}): Promise<TransformersCrossEncoder> {
  const dtype = settings.dtype ?? 'fp32';
  const { tokenizer, model } = await withModelSource(source, async () => ({
    tokenizer: await AutoTokenizer.from_pretrained(source.id),
    model: await AutoModelForSequenceClassification.from_pretrained(source.id, pretrainedOptions(dtype, settings, source)),
  }));
  return new CrossEncoder(source, settings, dtype, tokenizer, model);
}

function pairContentIds(tokenizer: PreTrainedTokenizer, template: PairTemplate, maxLen: number, text: string): number[] {
  const room = Math.max(1, maxLen - template.prefix.length - template.mid.length - template.suffix.length);
  return encodeHead(tokenizer, text, room).slice(0, room);
}

/** Loads only the tokenizer of a cross-encoder (`maxLen` as for scoring, default 192). */
export async function loadPairTokenizer(source: ModelSource, maxLen = 192): Promise<PairTokenizer> {
  const tokenizer = await withModelSource(source, () => AutoTokenizer.from_pretrained(source.id));
  const template = readTemplates(tokenizer).pair;
  return { tokenIds: (text) => pairContentIds(tokenizer, template, maxLen, text) };
}

class CrossEncoder implements TransformersCrossEncoder {
  readonly key: string;
  private readonly template: PairTemplate;
  private readonly maxLen: number;
  private readonly inputNames: readonly string[];

  constructor(
    source: ModelSource,
    private readonly settings: CrossEncoderSettings,
    dtype: Dtype,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
  ) {
    this.maxLen = settings.maxLen ?? 192;
    this.template = readTemplates(tokenizer).pair;
    this.inputNames = sessionInputNames(model);
    this.key = [source.key ?? source.id, dtype, `p${this.maxLen}`].join('|');
  }

  encode(pairs: Array<[string, string]>): EncodedInput[] {
    const room = this.maxLen;
    return pairs.map(([q, d]) =>
      buildPair(encodeHead(this.tokenizer, q, room), encodeHead(this.tokenizer, d, room), this.maxLen, this.template),
    );
  }

  tokenIds(text: string): number[] {
    return pairContentIds(this.tokenizer, this.template, this.maxLen, text);
  }

  async score(pairs: Array<[string, string]>): Promise<Float32Array> {
    const out = new Float32Array(pairs.length);
    if (pairs.length === 0) return out;
    const inputs = this.encode(pairs);
    for (const rows of modelBatches(inputs, this.settings)) {
      const { output } = await runModel(this.model, this.inputNames, rows.map((r) => inputs[r]), this.tokenizer.pad_token_id ?? 0, 'logits');
      const logits = output.data as Float32Array;
      const labels = (output.dims as number[])[1] ?? 1;
      // One-label models: the logit is the score. Two-label (not relevant, relevant): the
      // difference, which orders pairs as the softmax probability does.
      rows.forEach((r, i) => {
        out[r] = labels === 1 ? logits[i] : logits[i * labels + labels - 1] - logits[i * labels];
      });
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.model.dispose();
  }
}
