// What the Review page says when an action's decisions could not be stored (one transaction:
// none of them were), a full disk named as such.

/** The page's words for a decision that could not be stored. */
export function saveFailure(err: unknown, decisions: number): string {
  const name = (err as { name?: string; inner?: { name?: string } })?.inner?.name ?? (err as { name?: string })?.name;
  const what = decisions === 1 ? 'this decision was not stored' : `these ${decisions} decisions were not stored`;
  if (name === 'QuotaExceededError' || /quota/i.test(String((err as Error)?.message ?? err))) {
    return `the browser's storage for this site is full (QuotaExceededError): ${what}. Decisions shown as made are stored; free space (delete an old run or project, or export and remove one) and press the key again`;
  }
  return `${what} (${err instanceof Error ? err.message : String(err)}). Decisions shown as made are stored; press the key again`;
}
