import { describe, expect, it } from 'vitest';
import type { DecisionLabel, Doc } from '../types';
import { assembleRows, exclusionReason, exportText, resolveDecisions, splitByQuery, type ExportQueryInput } from './index';

const docs = new Map<string, Doc>(
  ['p1', 'p2', 'a', 'b', 'c', 'd', 'e', 'f', 'r1', 'r2', 'r3', 'r4'].map((id) => [id, { id, title: id === 'a' ? '' : `T${id}`, text: `text of ${id}` }]),
);
const getDoc = (id: string) => docs.get(id);

function input(): ExportQueryInput {
  return {
    query: { id: 'q1', text: 'find it' },
    positiveIds: ['p1'],
    candidates: [
      { docId: 'c', rank: 3, ce: -1, cePositive: 4, flags: [] },
      { docId: 'a', rank: 1, score: 0.8, ce: 2, cePositive: 4, flags: [] },
      { docId: 'b', rank: 2, ce: 3.5, cePositive: 4, flags: ['suspected-false-negative'] },
      { docId: 'd', rank: 4, ce: 0.5, cePositive: 4, flags: [] },
      { docId: 'e', rank: 5, ce: 1.5, cePositive: 4, flags: [] },
      { docId: 'f', rank: 6, ce: 3.9, cePositive: 4, flags: [] },
    ],
  };
}

const labels = (m: Record<string, DecisionLabel>) => new Map([['q1', new Map(Object.entries(m))]]);

describe('resolveDecisions', () => {
  it('applies positive > reject > accept > skip across reviewers, and filters by reviewer', () => {
    const ds = [
      { queryId: 'q', docId: 'x', reviewer: 'ann', label: 'accept' as const },
      { queryId: 'q', docId: 'x', reviewer: 'bob', label: 'reject' as const },
      { queryId: 'q', docId: 'y', reviewer: 'ann', label: 'positive' as const },
      { queryId: 'q', docId: 'y', reviewer: 'bob', label: 'reject' as const },
      { queryId: 'q', docId: 'z', reviewer: 'bob', label: 'skip' as const },
      { queryId: 'q', docId: 'z', reviewer: 'ann', label: 'accept' as const },
    ];
    const all = resolveDecisions(ds).get('q')!;
    expect(Object.fromEntries(all)).toEqual({ x: 'reject', y: 'positive', z: 'accept' });
    const ann = resolveDecisions(ds, 'ann').get('q')!;
    expect(Object.fromEntries(ann)).toEqual({ x: 'accept', y: 'positive', z: 'accept' });
  });
});

describe('assembleRows', () => {
  it('exports accepted negatives by fused rank; rejected and unreviewed stay out by default', () => {
    const { rows, counts } = assembleRows([input()], labels({ e: 'accept', a: 'accept', c: 'reject' }), getDoc, {
      includeUnreviewed: false,
      fillRandom: false,
      seed: 1,
    });
    expect(rows).toHaveLength(1);
    const ex = rows[0].example;
    expect(ex.queryId).toBe('q1');
    expect(ex.query).toBe('find it');
    // single positive: cePositive (4) is its score; title "Tp1" joined as "title: text".
    expect(ex.positives).toEqual([{ id: 'p1', text: 'Tp1: text of p1', score: 4 }]);
    expect(ex.negatives.map((n) => n.id)).toEqual(['a', 'e']);
    expect(ex.negatives[0]).toEqual({ id: 'a', text: 'text of a', score: 0.8, ce: 2 }); // empty title → text only
    expect(ex.negatives[1]).toEqual({ id: 'e', text: 'Te: text of e', ce: 1.5 });
    expect(rows[0].negativeSources).toEqual(['accepted', 'accepted']);
    expect(counts.rejectedExcluded).toBe(1);
    expect(counts.negatives).toEqual({ accepted: 2, unreviewed: 0, random: 0 });
  });

  it('adds unreviewed candidates after accepted ones, skipping denoiser-flagged ones', () => {
    const { rows, counts } = assembleRows([input()], labels({ e: 'accept', c: 'reject', d: 'skip' }), getDoc, {
      includeUnreviewed: true,
      fillRandom: false,
      seed: 1,
    });
    // e accepted first; then unreviewed by rank: a(1), [b flagged], [c rejected], d(4, skip = undecided), f(6)
    expect(rows[0].example.negatives.map((n) => n.id)).toEqual(['e', 'a', 'd', 'f']);
    expect(rows[0].negativeSources).toEqual(['accepted', 'unreviewed', 'unreviewed', 'unreviewed']);
    expect(counts.flaggedExcluded).toBe(1);
  });

  it('makes promoted candidates positives and never negatives', () => {
    const { rows, counts } = assembleRows([input()], labels({ a: 'positive', e: 'accept' }), getDoc, {
      includeUnreviewed: true,
      fillRandom: false,
      seed: 1,
    });
    const ex = rows[0].example;
    expect(ex.positives.map((p) => [p.id, p.score])).toEqual([
      ['p1', 4],
      ['a', 2], // a promoted candidate's score is its own cross-encoder score
    ]);
    expect(ex.negatives.map((n) => n.id)).not.toContain('a');
    expect(counts.positivesPromoted).toBe(1);
    expect(counts.positivesQrel).toBe(1);
  });

  it('fills LCE groups: accepted, then unreviewed, then random; never a rejected or candidate doc as random', () => {
    const opts = { includeUnreviewed: true, fillRandom: true, target: 7, strictTarget: true, seed: 42 };
    const pool = [...docs.keys()];
    const { rows, counts } = assembleRows([input()], labels({ e: 'accept', c: 'reject' }), getDoc, opts, pool);
    const ex = rows[0].example;
    expect(ex.negatives).toHaveLength(7);
    // e accepted; unreviewed a, d, f (b flagged, c rejected); then 3 random from r1..r4, p2
    expect(ex.negatives.slice(0, 4).map((n) => n.id)).toEqual(['e', 'a', 'd', 'f']);
    const randomIds = ex.negatives.slice(4).map((n) => n.id);
    expect(new Set(randomIds).size).toBe(3);
    for (const id of randomIds) expect(['r1', 'r2', 'r3', 'r4', 'p2']).toContain(id);
    expect(counts.negatives).toEqual({ accepted: 1, unreviewed: 3, random: 3 });
    expect(ex.negatives.slice(4).every((n) => n.score === undefined && n.ce === undefined)).toBe(true);
    // Same seed, same picks.
    const again = assembleRows([input()], labels({ e: 'accept', c: 'reject' }), getDoc, opts, pool);
    expect(again.rows[0].example.negatives.map((n) => n.id)).toEqual(ex.negatives.map((n) => n.id));
  });

  it('drops a query that cannot fill a strict group, and queries without positives or negatives', () => {
    const short = assembleRows([input()], labels({ e: 'accept' }), getDoc, {
      includeUnreviewed: false,
      fillRandom: false,
      target: 3,
      strictTarget: true,
      seed: 1,
    });
    expect(short.rows).toHaveLength(0);
    expect(short.counts.droppedShort).toBe(1);

    const noPos = assembleRows([{ ...input(), positiveIds: ['missing-doc'] }], labels({ e: 'accept' }), getDoc, {
      includeUnreviewed: false,
      fillRandom: false,
      seed: 1,
    });
    expect(noPos.counts.droppedNoPositive).toBe(1);
    const noNeg = assembleRows([input()], labels({}), getDoc, { includeUnreviewed: false, fillRandom: false, seed: 1 });
    expect(noNeg.counts.droppedNoNegative).toBe(1);
  });

  it('caps negatives at the target without strictness', () => {
    const { rows } = assembleRows([input()], labels({ f: 'accept', e: 'accept', a: 'accept' }), getDoc, {
      includeUnreviewed: false,
      fillRandom: false,
      target: 2,
      seed: 1,
    });
    expect(rows[0].example.negatives.map((n) => n.id)).toEqual(['a', 'e']);
  });

  it('leaves positive scores out when several positives share one cePositive', () => {
    const { rows } = assembleRows([{ ...input(), positiveIds: ['p1', 'p2'] }], labels({ a: 'accept' }), getDoc, {
      includeUnreviewed: false,
      fillRandom: false,
      seed: 1,
    });
    expect(rows[0].example.positives).toEqual([
      { id: 'p1', text: 'Tp1: text of p1' },
      { id: 'p2', text: 'Tp2: text of p2' },
    ]);
  });

  it('leaves near-duplicates and suspected false negatives out unless accepted, counted by reason', () => {
    const withNear = input();
    withNear.candidates = [
      ...withNear.candidates.filter((c) => c.docId !== 'd' && c.docId !== 'e'),
      { docId: 'd', rank: 4, ce: 0.5, cePositive: 4, flags: ['near-duplicate'] },
      { docId: 'e', rank: 5, ce: 1.5, cePositive: 4, flags: ['near-duplicate'] },
    ];
    const { rows, counts } = assembleRows([withNear], labels({ e: 'accept' }), getDoc, { includeUnreviewed: true, fillRandom: false, seed: 1 });
    // e accepted despite its flag; unreviewed a, c, f in; b (suspected) and d (near-duplicate) out
    expect(rows[0].example.negatives.map((n) => n.id)).toEqual(['e', 'a', 'c', 'f']);
    expect(counts.excluded).toEqual({ 'suspected-false-negative': 1, 'near-duplicate': 1, 'duplicate-of-positive': 0 });
    expect(counts.flaggedExcluded).toBe(2);
    expect(exclusionReason(['random'])).toBeUndefined();
    expect(exclusionReason(['random', 'near-duplicate'])).toBe('near-duplicate');
  });

  it('never fills with a random document whose body equals a positive body', () => {
    const copies = new Map<string, Doc>(docs);
    // r1..r4 are p1 under other names (re-wrapped, re-cased): only p2 may be drawn
    for (const id of ['r1', 'r2', 'r3', 'r4']) copies.set(id, { id, title: id, text: id === 'r2' ? 'TEXT OF  P1' : 'text of p1' });
    for (let seed = 0; seed < 10; seed++) {
      const { rows } = assembleRows([input()], labels({ a: 'accept' }), (id) => copies.get(id), { includeUnreviewed: false, fillRandom: true, target: 4, seed }, [...copies.keys()]);
      const random = rows[0].example.negatives.filter((_, i) => rows[0].negativeSources[i] === 'random').map((n) => n.id);
      expect(random).toEqual(['p2']);
    }
  });

  it('rejects a random fill without a target', () => {
    expect(() => assembleRows([input()], labels({}), getDoc, { includeUnreviewed: false, fillRandom: true, seed: 1 })).toThrow(/target/);
  });
});

describe('splitByQuery', () => {
  const ids = Array.from({ length: 200 }, (_, i) => `q${i}`);
  it('puts every query on exactly one side, with the requested fraction', () => {
    const s = splitByQuery(ids, { devFraction: 0.1, seed: 7 });
    expect(s.dev).toHaveLength(20);
    expect(s.train).toHaveLength(180);
    const dev = new Set(s.dev);
    expect(s.train.some((q) => dev.has(q))).toBe(false);
    expect(new Set([...s.train, ...s.dev]).size).toBe(200);
  });
  it('is deterministic for a seed, independent of input order, and changes with the seed', () => {
    const a = splitByQuery(ids, { devFraction: 0.25, seed: 7 });
    const b = splitByQuery([...ids].reverse(), { devFraction: 0.25, seed: 7 });
    const c = splitByQuery(ids, { devFraction: 0.25, seed: 8 });
    expect(b).toEqual(a);
    expect(c.dev).not.toEqual(a.dev);
  });
  it('puts everything in train for fraction 0 and refuses fraction 1', () => {
    expect(splitByQuery(ids, { devFraction: 0, seed: 1 }).dev).toEqual([]);
    expect(() => splitByQuery(ids, { devFraction: 1, seed: 1 })).toThrow(/\[0, 1\)/);
  });
});

describe('exportText', () => {
  it('joins title and text like the models were trained', () => {
    expect(exportText({ title: 'vim', text: 'editor' })).toBe('vim: editor');
    expect(exportText({ title: '', text: 'editor' })).toBe('editor');
  });
});
