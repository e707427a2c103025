// Character spans of WordPiece tokens, for token-window chunking. transformers.js gives no
// offset mapping, so we align the tokenizer's pieces back onto the original text, applying
// the same per-character normalisation as BERT's (lowercase, accents stripped, control
// characters dropped). Spans are [start, end) in UTF-16 code units of the original text.

const ASCII_PUNCT = /[!-/:-@[-`{-~]/;
const UNICODE_PUNCT = /\p{P}/u;
const WHITESPACE = /\s/u;
const CONTROL = /[\p{Cc}\p{Cf}]/u;

function isPunct(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (ch.length === 1 && c < 128) return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
  return ASCII_PUNCT.test(ch) || UNICODE_PUNCT.test(ch);
}

/** What BERT's normaliser turns one character into ('' when it drops it). */
function normaliseChar(ch: string): string {
  // Fast path for ASCII, most of any text: printable → lowercase, whitespace → ' '.
  const c = ch.charCodeAt(0);
  if (ch.length === 1 && c < 128) {
    if (c === 32 || (c >= 9 && c <= 13)) return ' ';
    if (c < 32 || c === 127) return '';
    return c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : ch;
  }
  if (ch === '\uFFFD' || ch === '\0') return '';
  if (WHITESPACE.test(ch)) return ' ';
  if (CONTROL.test(ch)) return '';
  return ch.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
}

/**
 * Aligns `pieces` (tokenizer.tokenize(text): WordPiece strings with `##` continuations and
 * `[UNK]`) onto `text`. A piece that cannot be matched character by character (an unknown
 * word, an odd normalisation) is given the rest of its word, and alignment resumes at the
 * next word, so spans are always ordered and inside the text.
 */
export function alignTokenSpans(text: string, pieces: readonly string[], unkToken = '[UNK]'): Array<[number, number]> {
  // Work per code point so surrogate pairs stay whole.
  const chars: string[] = [];
  const starts: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    chars.push(ch);
    starts.push(i);
    i += ch.length;
  }
  starts.push(text.length);
  const norm = chars.map(normaliseChar);
  const spans: Array<[number, number]> = [];
  let c = 0; // index into chars
  const wordEnd = (from: number): number => {
    if (from < chars.length && isPunct(chars[from])) return from + 1;
    let k = from;
    while (k < chars.length && norm[k] !== ' ' && !isPunct(chars[k])) k++;
    return Math.max(k, Math.min(from + 1, chars.length));
  };
  for (const piece of pieces) {
    const continuation = piece.startsWith('##');
    if (!continuation) while (c < chars.length && (norm[c] === ' ' || norm[c] === '')) c++;
    if (c >= chars.length) {
      spans.push([text.length, text.length]);
      continue;
    }
    const start = c;
    const target = continuation ? piece.slice(2) : piece;
    let ok = piece !== unkToken && target.length > 0;
    if (ok) {
      let k = 0;
      let i = c;
      while (k < target.length && i < chars.length) {
        const n = norm[i];
        if (n === '') {
          i++;
          continue;
        }
        if (target.startsWith(n, k)) {
          k += n.length;
          i++;
        } else {
          ok = false;
          break;
        }
      }
      if (ok && k === target.length) c = i;
      else ok = false;
    }
    if (!ok) c = wordEnd(start);
    spans.push([starts[start], starts[c]]);
  }
  return spans;
}
