// Key of a run's stored chunks (and part of its chunk vectors' ids): the chunk spec, plus the
// tokenizer's model for token windows, since another tokenizer cuts other windows. Token
// windows count tokens of the first dense member's tokenizer.
import { parseChunkSpec } from '../../core/chunking';
import type { DenseSpec, MemberSpec } from '../../core/spec/member-spec';

/** The dense member whose tokenizer token-window chunking counts in: the first one. */
export function tokenizerSpec(chunk: string, specs: readonly MemberSpec[]): DenseSpec {
  const m = specs.find((s): s is DenseSpec => s.kind === 'dense');
  if (!m) throw new Error(`chunking "${chunk}" counts tokens of a dense member's tokenizer: add a dense member, or chunk by paragraphs`);
  return m;
}

export function chunkerKeyOf(chunk: string, specs: readonly MemberSpec[]): string {
  return parseChunkSpec(chunk).kind === 'tokens' ? `${chunk}@${tokenizerSpec(chunk, specs).model}` : chunk;
}
