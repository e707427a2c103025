// Word-level diff between a positive and a candidate: what the candidate shares with
// the positive, what it adds, and what it lacks. Reviewers use it to see at a glance
// whether a near-duplicate sibling (foo vs foo-doc) differs in substance.
import type { TokenizerKind } from '../bm25/tokenize';
import { tokenizeWithGaps, type Token } from './tokens';

export type DiffOp =
  /** In both texts (in the same order). */
  | { type: 'same'; text: string }
  /** Only in the candidate. */
  | { type: 'add'; text: string }
  /** Only in the positive. */
  | { type: 'del'; text: string };

/** Above this many LCS cells the sequence diff would be slow: fall back to word sets. */
export const MAX_LCS_CELLS = 4_000_000;

/**
 * Diffs `positive` against `candidate` word by word (case-insensitive), as the longest
 * common subsequence of words. The text between words (spaces, punctuation) follows
 * the candidate's word before it; the positive's own gaps are dropped from 'del' ops
 * except single spaces between deleted words. Concatenating the 'same' and 'add' ops
 * gives back `candidate` exactly.
 *
 * For very long pairs (more than MAX_LCS_CELLS word pairs) word order is ignored: a
 * candidate word is 'same' when the positive contains it anywhere, and the positive's
 * missing words are listed once each, in order, as 'del' ops at the end.
 */
export function wordDiff(positive: string, candidate: string, kind: TokenizerKind = 'latin'): DiffOp[] {
  const a = groupWords(tokenizeWithGaps(positive, kind));
  const b = groupWords(tokenizeWithGaps(candidate, kind));
  const ops: DiffOp[] = [];
  const push = (type: DiffOp['type'], text: string) => {
    if (!text) return;
    const prev = ops[ops.length - 1];
    if (prev && prev.type === type) prev.text += text;
    else ops.push({ type, text });
  };
  // Text before the candidate's first word belongs to no word: it is context.
  if (b.lead) push('same', b.lead);

  const n = a.items.length;
  const m = b.items.length;
  if (n * m > MAX_LCS_CELLS) {
    const inA = new Set(a.items.map((x) => x.word));
    const inB = new Set(b.items.map((x) => x.word));
    for (const it of b.items) push(inA.has(it.word) ? 'same' : 'add', it.text + it.gap);
    const seen = new Set<string>();
    const missing: string[] = [];
    for (const it of a.items) {
      if (!inB.has(it.word) && !seen.has(it.word)) {
        seen.add(it.word);
        missing.push(it.text);
      }
    }
    if (missing.length) ops.push({ type: 'del', text: missing.join(' ') });
    return ops;
  }

  // lcs[i*(m+1)+j] = LCS length of a[i..] and b[j..].
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] =
        a.items[i].word === b.items[j].word ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  let pendingDel: WordItem[] = [];
  const flushDel = () => {
    if (pendingDel.length) {
      // Words written together (Japanese, Chinese) stay together; others get one space.
      ops.push({ type: 'del', text: pendingDel.map((it, k) => (k === 0 ? '' : pendingDel[k - 1].gap === '' ? '' : ' ') + it.text).join('') });
      pendingDel = [];
    }
  };
  while (i < n || j < m) {
    if (i < n && j < m && a.items[i].word === b.items[j].word) {
      flushDel();
      push('same', b.items[j].text + b.items[j].gap);
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) {
      flushDel();
      push('add', b.items[j].text + b.items[j].gap);
      j++;
    } else {
      pendingDel.push(a.items[i]);
      i++;
    }
  }
  flushDel();
  return ops;
}

/** Counts for a diff: words shared, added by the candidate, lacking from it (words as `kind` cuts them). */
export function diffStats(ops: DiffOp[], kind: TokenizerKind = 'latin'): { same: number; add: number; del: number } {
  const count = (s: string) => tokenizeWithGaps(s, kind).filter((t) => t.word !== null).length;
  const out = { same: 0, add: 0, del: 0 };
  for (const op of ops) out[op.type] += count(op.text);
  return out;
}

interface WordItem {
  word: string;
  text: string;
  /** Non-word text that follows the word in its source. */
  gap: string;
}

function groupWords(tokens: Token[]): { lead: string; items: WordItem[] } {
  let lead = '';
  const items: WordItem[] = [];
  for (const t of tokens) {
    if (t.word === null) {
      if (items.length) items[items.length - 1].gap += t.text;
      else lead += t.text;
    } else items.push({ word: t.word, text: t.text, gap: '' });
  }
  return { lead, items };
}
