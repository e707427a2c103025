import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuarryDB } from './db';
import { decide, revert } from './decisions';
import { followDecisions, type DecisionUpdate } from './decisionFeed';
import { countReads, resetReadCounts, type ReadCounts } from './read-counter';
import { makeFixture, seedFixture } from '../ui/pages/Review/fixture';
import type { DecisionEventRecord, DecisionRecord } from './schema';

const P = 'review-fixture';
const R = 'review-fixture-run';
const pair = { projectId: P, runId: R, queryId: 'q0000', docId: 'zlib0-doc', reviewer: 'ann' };

let db: QuarryDB;
let reads: ReadCounts;
let n = 0;
let stop: (() => void) | undefined;
beforeEach(async () => {
  db = new QuarryDB(`decision-feed-test-${n++}`);
  reads = countReads(db);
  await seedFixture(db, makeFixture({ queries: 4, candidatesPerQuery: 5 }));
});
afterEach(async () => {
  stop?.();
  stop = undefined;
  db.close();
  await db.delete();
});

/** Starts the feed; `next()` resolves with the next update it delivers. */
function follow(on: QuarryDB = db) {
  const got: DecisionUpdate[] = [];
  const waiting: Array<(u: DecisionUpdate) => void> = [];
  stop = followDecisions(on, P, (u) => {
    const w = waiting.shift();
    if (w) w(u);
    else got.push(u);
  }, (err) => {
    throw err;
  });
  return {
    next: (): Promise<DecisionUpdate> => (got.length ? Promise.resolve(got.shift()!) : new Promise((r) => waiting.push(r))),
    pending: () => got.length,
  };
}

/** `count` decisions (and their log entries) of other reviewers, written the way decide() writes them. */
async function storeMany(count: number): Promise<void> {
  const rows: DecisionRecord[] = [];
  const events: DecisionEventRecord[] = [];
  for (let i = 0; i < count; i++) {
    const d: DecisionRecord = { projectId: P, queryId: `q${String(i % 4).padStart(4, '0')}`, docId: `doc-${i}`, reviewer: `r${i % 3}`, label: 'accept', at: i, runId: R };
    rows.push(d);
    events.push({ ...d, previous: null });
  }
  await db.transaction('rw', db.decisions, db.decisionEvents, async () => {
    await db.decisions.bulkPut(rows);
    await db.decisionEvents.bulkAdd(events);
  });
}

describe('followDecisions', () => {
  it('after the first read, a decision reads only the pair it wrote, however many decisions are stored', async () => {
    await storeMany(3000);
    const feed = follow();
    const first = await feed.next();
    expect(first.kind).toBe('reset');
    expect(first.kind === 'reset' && first.rows.length).toBe(3000);

    resetReadCounts(reads);
    await decide(db, [{ ...pair, label: 'accept', ms: 700 }], 'train');
    const u = await feed.next();
    expect(u).toEqual({ kind: 'changes', pairs: [{ key: [P, 'q0000', 'zlib0-doc', 'ann'], record: expect.objectContaining({ label: 'accept', ms: 700 }) }] });
    // The decision's own write read nothing (a new pair); the feed read one event and one record.
    expect(reads.rows.decisions ?? 0).toBe(1);
    expect(reads.rows.decisionEvents ?? 0).toBe(1);
    expect(reads.rows.candidates ?? 0).toBe(0);
    expect(Object.values(reads.cursors).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("another connection's write (a second tab) arrives as a change, and an undo that removes it as no record", async () => {
    const feed = follow();
    expect((await feed.next()).kind).toBe('reset');
    const other = new QuarryDB(db.name);
    try {
      const ch = await decide(other, [{ ...pair, label: 'reject' }], 'train');
      expect(await feed.next()).toEqual({ kind: 'changes', pairs: [{ key: [P, 'q0000', 'zlib0-doc', 'ann'], record: expect.objectContaining({ label: 'reject' }) }] });
      await revert(other, ch);
      expect(await feed.next()).toEqual({ kind: 'changes', pairs: [{ key: [P, 'q0000', 'zlib0-doc', 'ann'], record: undefined }] });
    } finally {
      other.close();
    }
  });

  it('a promotion delivers every pair it changed (the other reviewers whose accept became positive)', async () => {
    await decide(db, [{ ...pair, reviewer: 'bob', label: 'accept' }], 'train');
    const feed = follow();
    expect((await feed.next()).kind).toBe('reset');
    await decide(db, [{ ...pair, label: 'positive' }], 'train');
    const u = await feed.next();
    expect(u.kind === 'changes' && u.pairs.map((p) => [p.key[3], p.record?.label]).sort()).toEqual([
      ['ann', 'positive'],
      ['bob', 'positive'],
    ]);
  });

  it("decisions changed without a log entry (a test hook, a deleted project): the feed reads them all again; another project's log entries are skipped", async () => {
    const feed = follow();
    expect((await feed.next()).kind).toBe('reset');
    await db.decisions.put({ ...pair, label: 'skip', at: 1 });
    const u = await feed.next();
    expect(u.kind).toBe('reset');
    expect(u.kind === 'reset' && u.rows.map((d) => d.label)).toEqual(['skip']);
    await decide(db, [{ ...pair, projectId: 'elsewhere', label: 'accept' }], 'train');
    await decide(db, [{ ...pair, docId: 'zlib0', label: 'reject' }], 'train');
    const v = await feed.next();
    expect(v.kind === 'changes' && v.pairs.map((p) => p.key)).toEqual([[P, 'q0000', 'zlib0', 'ann']]);
    expect(feed.pending()).toBe(0);
  });
});
