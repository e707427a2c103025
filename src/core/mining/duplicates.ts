// The duplicate-of-positive rule: a document whose BODY equals a positive's body is the same
// content under another name (on Debian, `foo` and `foo-data` with one description), i.e. an
// unlabelled positive, never a negative. Titles are ignored on purpose (types.ts: the body is
// the contract); whitespace runs and letter case are normalised so that re-wrapped or
// re-cased copies count too.
import type { Doc } from '../types';

/** The normalised body two documents are compared by; '' for an empty body. */
export function bodyKey(doc: Pick<Doc, 'text'>): string {
  return doc.text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * A test "is this document a body-duplicate of one of these positives?" built once per
 * query. Empty bodies never match: they carry no evidence of sameness.
 */
export function duplicateOfPositives(
  positiveIds: readonly string[],
  docOf: (docId: string) => Pick<Doc, 'text'> | undefined,
): (docId: string) => boolean {
  const keys = new Set<string>();
  for (const id of positiveIds) {
    const d = docOf(id);
    const k = d ? bodyKey(d) : '';
    if (k) keys.add(k);
  }
  if (!keys.size) return () => false;
  return (docId) => {
    const d = docOf(docId);
    return d !== undefined && keys.has(bodyKey(d));
  };
}
