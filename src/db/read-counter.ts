// Test support: counts what is read from each table, through a Dexie middleware, so a test
// can assert how much a step reads (e.g. that a decision does not make Review read every
// decision or candidate again) without timing anything. Tests and automation only.
import type { QuarryDB } from './db';
import { wrapTables } from './table-middleware';

export interface ReadCounts {
  /** Table name → records returned by get, getMany and query. */
  rows: Record<string, number>;
  /** Table name → cursors opened (their rows are not counted). */
  cursors: Record<string, number>;
}

/** Installs the counter; call before the database is first opened. */
export function countReads(db: QuarryDB): ReadCounts {
  const counts: ReadCounts = { rows: {}, cursors: {} };
  const add = (m: Record<string, number>, name: string, n: number) => {
    m[name] = (m[name] ?? 0) + n;
  };
  // `.then` on the promise the table below returns, never an async function: that would hand
  // Dexie a native promise, and a transaction of several reads (corpus.ts readTx) would lose
  // its zone and commit before its next read ("Transaction committed too early").
  wrapTables(db, 'read-counter', (name, t) => ({
    get: (req) =>
      t.get(req).then((r) => {
        if (r !== undefined) add(counts.rows, name, 1);
        return r;
      }),
    getMany: (req) =>
      t.getMany(req).then((r) => {
        add(counts.rows, name, r.filter((x) => x !== undefined).length);
        return r;
      }),
    query: (req) =>
      t.query(req).then((r) => {
        add(counts.rows, name, r.result.length);
        return r;
      }),
    openCursor: (req) => {
      add(counts.cursors, name, 1);
      return t.openCursor(req);
    },
  }));
  return counts;
}

/** Empties the counts (the counter keeps counting into the same object). */
export function resetReadCounts(c: ReadCounts): void {
  for (const k of Object.keys(c.rows)) delete c.rows[k];
  for (const k of Object.keys(c.cursors)) delete c.cursors[k];
}
