// Test support: makes IndexedDB writes fail the way a full disk does (QuotaExceededError),
// through a Dexie middleware, so repository code runs unchanged. Tests only.
import type { QuarryDB } from './db';
import { wrapTables } from './table-middleware';

export interface WriteFaults {
  /** Table name → writes to let through before failing every later one (Infinity: never fail). */
  failAfter: Record<string, number>;
  /** Writes seen per table. */
  seen: Record<string, number>;
}

export function quotaError(): Error {
  return Object.assign(new Error('QuotaExceededError: the quota has been exceeded.'), { name: 'QuotaExceededError' });
}

/** Installs the fault middleware; call before the database is first opened. */
export function injectWriteFaults(db: QuarryDB): WriteFaults {
  const faults: WriteFaults = { failAfter: {}, seen: {} };
  wrapTables(db, 'write-faults', (name, t) => ({
    mutate: (req) => {
      const n = (faults.seen[name] = (faults.seen[name] ?? 0) + 1);
      const limit = faults.failAfter[name];
      // Deletes free space: a full disk does not refuse them.
      if (limit !== undefined && n > limit && req.type !== 'delete' && req.type !== 'deleteRange') return Promise.reject(quotaError());
      return t.mutate(req);
    },
  }));
  return faults;
}
