import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuarryDB } from './db';
import { listQrels, putDocuments, putQrels, qrelsOfQuery } from './corpus';
import { beginImport, commitImport, ImportWriter } from './imports';
import { decide, decisionLog, projectDecisions, revert, UndoConflict } from './decisions';
import { positivesOf, runCandidates, runPairs, searchDocs, docsById } from './candidates';
import { makeFixture, seedFixture } from '../ui/pages/Review/fixture';
import { saveFailure } from '../ui/pages/Review/saveFailure';
import { injectWriteFaults } from './fault-injection';

let db: QuarryDB;
let n = 0;
beforeEach(async () => {
  db = new QuarryDB(`decisions-test-${n++}`);
  await seedFixture(db, makeFixture({ queries: 4, candidatesPerQuery: 5 }));
});
afterEach(async () => {
  db.close();
  await db.delete();
});

const P = 'review-fixture';
const R = 'review-fixture-run';
const base = { projectId: P, runId: R };

describe('candidates repository', () => {
  it('loads a run in (query, doc) order and reads positives and docs', async () => {
    const c = await runCandidates(db, R);
    expect(c).toHaveLength(20);
    const keys = c.map((x) => `${x.queryId}/${x.docId}`);
    expect([...keys].sort()).toEqual(keys);
    expect(await runPairs(db, [R])).toHaveLength(20);
    expect(await runCandidates(db, 'nope')).toEqual([]);
    const pos = await positivesOf(db, P, 'q0000');
    expect(pos.map((p) => p.docId)).toEqual(['zlib0']);
    const docs = await docsById(db, P, ['zlib0', 'missing']);
    expect([...docs.keys()]).toEqual(['zlib0']);
    expect(await searchDocs(db, P, 'DOCUMENTATION)')).toEqual(new Set(['c1-doc', 'glyphs3-doc', 'vim2-doc', 'zlib0-doc']));
  });
});

describe('decide / revert', () => {
  it('writes the decision and its event together, and undo/redo round-trips', async () => {
    const ch = await decide(db, [{ ...base, queryId: 'q0000', docId: 'zlib0-doc', reviewer: 'ann', label: 'accept', ms: 900 }], 'train');
    expect(ch.events).toHaveLength(1);
    let ds = await projectDecisions(db, P);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ label: 'accept', reviewer: 'ann', ms: 900, runId: R });
    const ch2 = await decide(db, [{ ...base, queryId: 'q0000', docId: 'zlib0-doc', reviewer: 'ann', label: 'reject' }], 'train');
    const redo = await revert(db, ch2);
    expect((await projectDecisions(db, P))[0].label).toBe('accept');
    const redo1 = await revert(db, ch);
    expect(await projectDecisions(db, P)).toEqual([]);
    await revert(db, redo1);
    await revert(db, redo);
    ds = await projectDecisions(db, P);
    expect(ds.map((d) => d.label)).toEqual(['reject']);
    const log = await decisionLog(db, P);
    expect(log.map((e) => [e.previous, e.label])).toEqual([
      [null, 'accept'],
      ['accept', 'reject'],
      ['reject', 'accept'],
      ['accept', null],
      [null, 'accept'],
      ['accept', 'reject'],
    ]);
  });

  it('promote adds a review qrel and turns everyone\'s accept into positive; undo restores both', async () => {
    const pair = { ...base, queryId: 'q0001', docId: 'c1-doc' };
    await decide(db, [{ ...pair, reviewer: 'bob', label: 'accept' }], 'train');
    const ch = await decide(db, [{ ...pair, reviewer: 'ann', label: 'positive' }], 'train');
    expect(ch.events).toHaveLength(2);
    expect(ch.qrelsAdded).toHaveLength(1);
    expect(ch.touched.map((t) => [t.reviewer, t.label])).toEqual([
      ['ann', 'positive'],
      ['bob', 'positive'],
    ]);
    const pos = await positivesOf(db, P, 'q0001');
    expect(pos.map((p) => [p.docId, p.source]).sort()).toEqual([
      ['c1', 'import'],
      ['c1-doc', 'review'],
    ]);
    expect((await projectDecisions(db, P)).map((d) => [d.reviewer, d.label]).sort()).toEqual([
      ['ann', 'positive'],
      ['bob', 'positive'],
    ]);
    const redo = await revert(db, ch);
    expect(redo.touched.map((t) => [t.reviewer, t.label])).toEqual([
      ['bob', 'accept'],
      ['ann', null],
    ]);
    expect((await projectDecisions(db, P)).map((d) => [d.reviewer, d.label])).toEqual([['bob', 'accept']]);
    expect((await positivesOf(db, P, 'q0001')).map((p) => p.docId)).toEqual(['c1']);
    await revert(db, redo);
    expect((await positivesOf(db, P, 'q0001')).map((p) => p.docId).sort()).toEqual(['c1', 'c1-doc']);
  });

  it('a batch is atomic: one bad row writes nothing', async () => {
    const good = { ...base, queryId: 'q0000', docId: 'zlib0-doc', reviewer: 'ann', label: 'accept' as const };
    // A key Dexie cannot store (undefined docId) makes the transaction fail as a whole.
    const bad = { ...good, docId: undefined as unknown as string };
    await expect(decide(db, [good, bad], 'train')).rejects.toThrow();
    expect(await projectDecisions(db, P)).toEqual([]);
    expect(await decisionLog(db, P)).toEqual([]);
  });
});

describe('runCandidatesPaged', () => {
  it('reads the same rows as one big read, whatever the page size', async () => {
    const { runCandidatesPaged } = await import('./candidates');
    const all = await runCandidates(db, R);
    const key = (c: { queryId: string; docId: string }) => `${c.queryId}/${c.docId}`;
    for (const size of [1, 3, 7, 20, 100]) {
      const paged = await runCandidatesPaged(db, R, size);
      expect(paged!.map(key)).toEqual(all.map(key));
    }
    expect(await runCandidatesPaged(db, 'nope', 5)).toEqual([]);
    expect(await runCandidatesPaged(db, R, 5, () => true)).toBeNull();
  });
});

describe('two tabs, one reviewer (plain event sequences)', () => {
  const pair = { ...base, queryId: 'q0000', docId: 'zlib0-doc', reviewer: 'ann' };

  it("tab A's undo does not delete the decision tab B wrote after it, and says who changed it", async () => {
    const a = await decide(db, [{ ...pair, label: 'accept' }], 'train'); // tab A
    await decide(db, [{ ...pair, label: 'reject' }], 'train'); // tab B, same reviewer
    const before = await decisionLog(db, P);
    const err = await revert(db, a).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UndoConflict);
    const conflict = err as UndoConflict;
    expect(conflict.conflicts).toEqual([{ queryId: 'q0000', docId: 'zlib0-doc', reviewer: 'ann', wrote: 'accept', now: 'reject', at: expect.any(Number) }]);
    expect(conflict.message).toMatch(/^Not undone: zlib0-doc for query q0000 is now "reject" \(set by ann in another tab or session at \d\d:\d\d:\d\d\), not the "accept" this action wrote; the stored decision was kept\.$/);
    // nothing was written: B's decision stands and the log has no new event
    expect((await projectDecisions(db, P)).map((d) => d.label)).toEqual(['reject']);
    expect(await decisionLog(db, P)).toHaveLength(before.length);
  });

  it('an undo whose decision was removed elsewhere is refused too, and a whole multi-decision undo is all or nothing', async () => {
    const other = { ...pair, docId: 'zlib0' };
    const a = await decide(db, [{ ...pair, label: 'accept' }, { ...other, label: 'reject' }], 'train');
    const b = await decide(db, [{ ...other, label: 'accept' }], 'train'); // tab B changes one of the two
    await expect(revert(db, a)).rejects.toBeInstanceOf(UndoConflict);
    const labels = new Map((await projectDecisions(db, P)).map((d) => [d.docId, d.label]));
    expect(labels).toEqual(new Map([['zlib0-doc', 'accept'], ['zlib0', 'accept']])); // the first pair was not reverted either
    await revert(db, b); // B undoes its own: allowed (the label is still B's)
    await revert(db, a); // and now A's undo matches again
    expect(await projectDecisions(db, P)).toEqual([]);
  });

  it('redo is compare-and-set as well', async () => {
    const a = await decide(db, [{ ...pair, label: 'accept' }], 'train');
    const redo = await revert(db, a); // back to no decision
    await decide(db, [{ ...pair, label: 'reject' }], 'train'); // tab B decides meanwhile
    await expect(revert(db, redo)).rejects.toThrow(/is now "reject".*not the "no decision" this action wrote/);
    expect((await projectDecisions(db, P)).map((d) => d.label)).toEqual(['reject']);
  });
});

describe('promoted qrels (the qrels table) over imported ones (corpus blocks)', () => {
  it('promoting a judged negative wins over the imported judgement, undo brings the imported one back, a later import of the pair replaces the promotion', async () => {
    const pair = { ...base, queryId: 'q0002', docId: 'vim2-doc', reviewer: 'ann' };
    await putQrels(db, P, 'dev', [{ queryId: 'q0002', docId: 'vim2-doc', score: 0 }]);
    const judged = async () => (await qrelsOfQuery(db, P, 'q0002')).filter((q) => q.docId === 'vim2-doc').map((q) => [q.score, q.source]);
    expect(await judged()).toEqual([[0, 'import']]);
    const ch = await decide(db, [{ ...pair, label: 'positive' }], 'dev');
    expect(ch.qrelsAdded).toHaveLength(1);
    expect(ch.qrelsRemoved).toEqual([]); // the imported judgement is not touched, only outranked
    expect(await judged()).toEqual([[1, 'review']]);
    await revert(db, ch);
    expect(await judged()).toEqual([[0, 'import']]);
    // Promote again, then an import judges the pair: the later judgement wins, once.
    await decide(db, [{ ...pair, label: 'positive' }], 'dev');
    const imp = await beginImport(db, P, ['qrels/dev.tsv']);
    await new ImportWriter(db, imp).write('qrels', [{ projectId: P, split: 'dev', queryId: 'q0002', docId: 'vim2-doc', score: 2, source: 'import' }]);
    expect(await judged()).toEqual([[1, 'review']]); // not before the commit
    await commitImport(db, imp.id);
    expect(await judged()).toEqual([[2, 'import']]);
    expect(await db.qrels.count()).toBe(0);
    expect((await listQrels(db, P, 'dev')).filter((q) => q.queryId === 'q0002' && q.docId === 'vim2-doc')).toHaveLength(1);
  });

  it('promoting a pair the imported qrels already judge relevant adds nothing', async () => {
    const pos = (await positivesOf(db, P, 'q0000'))[0];
    const ch = await decide(db, [{ ...base, queryId: 'q0000', docId: pos.docId, reviewer: 'ann', label: 'positive' }], pos.split);
    expect(ch.qrelsAdded).toEqual([]);
    expect(await db.qrels.count()).toBe(0);
  });
});

describe('search over what Review shows', () => {
  it('finds a document by its visible letters when it hides zero-width or bidi characters', async () => {
    await putDocuments(db, P, [{ id: 'evil', title: '', text: 'invoice\u202Egnp.exe and pass\u200Bword' }]);
    expect(await searchDocs(db, P, 'gnp.exe')).toEqual(new Set(['evil']));
    expect(await searchDocs(db, P, 'password')).toEqual(new Set(['evil']));
    expect(await searchDocs(db, P, 'pass⟨U+200B⟩word')).toEqual(new Set(['evil']));
  });
});

describe('a full disk during review', () => {
  it('the decision that failed is not stored, nothing stored before is lost, and the page text names the cause', async () => {
    const fdb = new QuarryDB(`decisions-quota-${n++}`);
    const faults = injectWriteFaults(fdb);
    try {
      await seedFixture(fdb, makeFixture({ queries: 2, candidatesPerQuery: 3 }));
      const pair = { ...base, queryId: 'q0000', docId: 'zlib0-doc', reviewer: 'ann' };
      await decide(fdb, [{ ...pair, label: 'accept' }], 'train');
      const logBefore = await decisionLog(fdb, P);
      faults.failAfter.decisionEvents = faults.seen.decisionEvents ?? 0; // the event write of the next action fails
      const err = await decide(fdb, [{ ...pair, label: 'reject' }], 'train').catch((e: unknown) => e);
      expect(err).toBeTruthy();
      expect(saveFailure(err, 1)).toMatch(/^the browser's storage for this site is full \(QuotaExceededError\): this decision was not stored\./);
      // one transaction: the decision row written before the failing event was rolled back
      expect((await projectDecisions(fdb, P)).map((d) => [d.docId, d.label])).toEqual([['zlib0-doc', 'accept']]);
      expect(await decisionLog(fdb, P)).toEqual(logBefore);
    } finally {
      fdb.close();
      await fdb.delete();
    }
  });
});
