// Reads a tokenizer's special-token layout (BERT `[CLS] a [SEP] b [SEP]`, RoBERTa
// `<s> a </s></s> b </s>`, ...) from the tokenizer itself, by encoding two one-token probes.
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import { bertTemplates, type PairTemplate, type SingleTemplate } from './bert-inputs';

export function readTemplates(tok: PreTrainedTokenizer): { single: SingleTemplate; pair: PairTemplate } {
  const a = tok.encode('a', { add_special_tokens: false });
  const b = tok.encode('b', { add_special_tokens: false });
  if (a.length === 1 && b.length === 1) {
    const s = tok.encode('a', { add_special_tokens: true });
    const ia = s.indexOf(a[0]);
    const p = tok._call('a', { text_pair: 'b', add_special_tokens: true, return_tensor: false }) as unknown as {
      input_ids: number[];
      token_type_ids?: number[];
    };
    const pa = p.input_ids.indexOf(a[0]);
    const pb = p.input_ids.lastIndexOf(b[0]);
    if (ia >= 0 && pa >= 0 && pb > pa) {
      const types = p.token_type_ids ?? [];
      return {
        single: { prefix: s.slice(0, ia), suffix: s.slice(ia + 1) },
        pair: {
          prefix: p.input_ids.slice(0, pa),
          mid: p.input_ids.slice(pa + 1, pb),
          suffix: p.input_ids.slice(pb + 1),
          typeA: Number(types[pa] ?? 0),
          typeB: Number(types[pb] ?? 0),
        },
      };
    }
  }
  // Fallback: BERT layout from the declared special tokens.
  const cls = tok.convert_tokens_to_ids((tok as unknown as { cls_token?: string }).cls_token ?? '[CLS]') as number;
  const sep = tok.convert_tokens_to_ids(tok.sep_token ?? '[SEP]') as number;
  return bertTemplates(cls, sep);
}

/**
 * Content token ids of `text` (no specials), at least the first `need` of them. A long text
 * is first tokenized from a prefix cut at whitespace: BERT-style pre-tokenization never
 * joins across whitespace, so that prefix's ids are exactly the full text's first ids, and
 * 50k-word manual pages are not tokenized whole just to keep 256 tokens.
 */
export function encodeHead(tok: PreTrainedTokenizer, text: string, need: number): number[] {
  const cut = Math.max(need * 8, 256);
  if (text.length > cut * 1.5) {
    let end = cut;
    while (end < text.length && !/\s/.test(text[end])) end++;
    const ids = tok.encode(text.slice(0, end), { add_special_tokens: false });
    if (ids.length >= need) return ids;
  }
  return tok.encode(text, { add_special_tokens: false });
}
