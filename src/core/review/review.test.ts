import { describe, expect, it } from 'vitest';
import { bestPassage, highlightSpans, queryTerms } from './highlight';
import { reviewTokenizer } from './tokens';
import { cohenKappa } from './kappa';
import { parseMarkdown, parseInline } from './markdown';
import { compareRuns } from './compare';
import {
  buildQueue,
  DEFAULT_FILTERS,
  memberSpread,
  nextTodo,
  pairKey,
  queryBlock,
  uncertainty,
  type QueueContext,
  type QueueItem,
} from './queue';
import type { DecisionLabel } from '../types';

describe('highlight', () => {
  it('marks query terms case-insensitively and keeps the text intact', () => {
    const terms = queryTerms('The GNU compiler for C');
    expect([...terms].sort()).toEqual(['c', 'compiler', 'gnu']);
    const text = 'GNU C compiler (gcc) - the compiler of the GNU system';
    const spans = highlightSpans(text, terms);
    expect(spans.map((s) => s.text).join('')).toBe(text);
    expect(spans.filter((s) => s.hit).map((s) => s.text)).toEqual(['GNU', 'C', 'compiler', 'compiler', 'GNU']);
    // Non-hits between hits are merged into one span.
    expect(spans[1]).toEqual({ text: ' ', hit: false });
    expect(spans[5]).toEqual({ text: ' (gcc) - the ', hit: false });
    expect(spans[7]).toEqual({ text: ' of the ', hit: false });
  });

  it('does not highlight a term inside a longer word', () => {
    const spans = highlightSpans('libc and cc', queryTerms('c'));
    expect(spans.some((s) => s.hit)).toBe(false);
  });

  it('finds the window with the most query terms', () => {
    const filler = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    const text = `${filler} zlib zlib library ${filler}`;
    const p = bestPassage(text, queryTerms('zlib library'), 5);
    expect(p.hits).toBe(3);
    // The earliest 5-word window holding all three hits starts 2 words before them.
    expect(text.slice(p.start, p.end)).toBe('w28 w29 zlib zlib library');
    expect(bestPassage('short text', queryTerms('text'), 5)).toEqual({ start: 0, end: 10, hits: 1 });
  });
});

describe('highlight in Japanese (the run\'s BM25 segmentation)', () => {
  const doc = 'PDF ビューアです。仕様書の検索ができます。';
  it('uses the run\'s BM25 tokenizer, resolving auto on the texts shown', () => {
    expect(reviewTokenizer(['bm25:k1=0.9:b=0.4:tokenizer=cjk-bigram'], () => [])).toBe('cjk-bigram');
    expect(reviewTokenizer(['dense:m', 'bm25:k1=0.9:b=0.4:tokenizer=auto'], () => [doc])).toBe('segmenter');
    expect(reviewTokenizer(['bm25:k1=0.9:b=0.4'], () => ['GNU compiler'])).toBe('latin');
    expect(reviewTokenizer(['dense:m'], () => [doc])).toBe('segmenter');
    expect(queryTerms('仕様書', 'segmenter').kind).toBe('segmenter');
  });
  it('latin would mark a whole sentence or nothing', () => {
    expect(highlightSpans(doc, queryTerms('仕様書の検索ツール')).some((s) => s.hit)).toBe(false);
  });
  it('segmenter: marks the query words inside the sentence', () => {
    const terms = queryTerms('仕様書の検索ツール', 'segmenter');
    // the particle の is a function word: not a term, like "the" in English
    expect([...terms].sort()).toEqual(['ツール', '仕様', '書', '検索'].sort());
    const spans = highlightSpans(doc, terms, 'segmenter');
    expect(spans.map((s) => s.text).join('')).toBe(doc);
    expect(spans.filter((s) => s.hit).map((s) => s.text)).toEqual(['仕様書', '検索']);
  });
  it('cjk-bigram: marks the characters of matching bigrams only', () => {
    const terms = queryTerms('検索ツール', 'cjk-bigram');
    expect([...terms]).toEqual(['検索', '索ツ', 'ツー', 'ール']);
    const spans = highlightSpans(doc, terms, 'cjk-bigram');
    expect(spans.map((s) => s.text).join('')).toBe(doc);
    expect(spans.filter((s) => s.hit).map((s) => s.text)).toEqual(['検索']);
    // English words inside Japanese text are still whole words
    expect(highlightSpans(doc, queryTerms('pdf', 'cjk-bigram'), 'cjk-bigram').filter((s) => s.hit).map((s) => s.text)).toEqual(['PDF']);
  });
  it('bestPassage counts hits in segmented words', () => {
    const long = `${'あいうえお。'.repeat(20)}仕様書の検索。${'かきくけこ。'.repeat(20)}`;
    const p = bestPassage(long, queryTerms('仕様書の検索', 'segmenter'), 6, 'segmenter');
    expect(p.hits).toBe(3); // 仕様 書 検索 (の is a function word)
    expect(long.slice(p.start, p.end)).toContain('仕様書の検索');
  });
});

describe('cohenKappa', () => {
  it('matches the textbook 2x2 example', () => {
    // 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: p_o = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.4.
    const pairs: Array<[string, string]> = [
      ...Array.from({ length: 20 }, () => ['yes', 'yes'] as [string, string]),
      ...Array.from({ length: 5 }, () => ['yes', 'no'] as [string, string]),
      ...Array.from({ length: 10 }, () => ['no', 'yes'] as [string, string]),
      ...Array.from({ length: 15 }, () => ['no', 'no'] as [string, string]),
    ];
    const r = cohenKappa(pairs);
    expect(r.n).toBe(50);
    expect(r.observed).toBeCloseTo(0.7, 12);
    expect(r.expected).toBeCloseTo(0.5, 12);
    expect(r.kappa).toBeCloseTo(0.4, 12);
  });

  it('handles three labels, perfect and degenerate agreement', () => {
    // A: a a r p, B: a r r p → p_o = 3/4; p_e = (2/4·1/4) + (1/4·2/4) + (1/4·1/4) = 5/16; κ = (12/16−5/16)/(11/16) = 7/11.
    const r = cohenKappa([
      ['accept', 'accept'],
      ['accept', 'reject'],
      ['reject', 'reject'],
      ['positive', 'positive'],
    ]);
    expect(r.kappa).toBeCloseTo(7 / 11, 12);
    expect(cohenKappa([['a', 'a'], ['b', 'b']]).kappa).toBe(1);
    expect(cohenKappa([['a', 'a'], ['a', 'a']]).kappa).toBeNaN();
    expect(cohenKappa([]).n).toBe(0);
  });
});

function item(queryId: string, docId: string, rank: number, extra: Partial<QueueItem> = {}): QueueItem {
  return { queryId, docId, rank, fused: 1 - rank / 100, members: {}, flags: [], ...extra };
}

describe('queue', () => {
  const labels = new Map<string, DecisionLabel>();
  const ctx: QueueContext = {
    labelOf: (q, d) => labels.get(pairKey(q, d)),
    queryText: (q) => ({ q1: 'gnu compiler', q2: 'zlib library' })[q],
    depth: 100,
  };
  const items = [
    item('q2', 'd5', 2, { ce: 1, cePositive: 5 }),
    item('q1', 'd2', 2, { flags: ['near-duplicate'], ce: 4.5, cePositive: 5 }),
    item('q1', 'd1', 1, { ce: 0, cePositive: 5, members: { a: { rank: 1, score: 0.9 }, b: { rank: null, score: null } } }),
    item('q2', 'd4', 1, { flags: ['suspected-false-negative'], ce: 4, cePositive: 5 }),
  ];

  it('groups by query and orders by rank or by uncertainty', () => {
    expect(buildQueue(items, DEFAULT_FILTERS, 'query', ctx).map((c) => c.docId)).toEqual(['d1', 'd2', 'd4', 'd5']);
    // Gaps |cePos − ce|: d2 0.5, d1 5, d4 1, d5 4 → q1 (0.5) before q2 (1); inside by gap.
    expect(buildQueue(items, DEFAULT_FILTERS, 'uncertainty', ctx).map((c) => c.docId)).toEqual(['d2', 'd1', 'd4', 'd5']);
    expect(uncertainty(item('q', 'd', 3, { fused: 0.8 }))).toBe(-0.8);
  });

  it('filters by status, flag, score, disagreement, search', () => {
    labels.clear();
    labels.set(pairKey('q1', 'd1'), 'accept');
    labels.set(pairKey('q2', 'd4'), 'skip');
    const q = (f: Partial<typeof DEFAULT_FILTERS>, extra: Partial<QueueContext> = {}) =>
      buildQueue(items, { ...DEFAULT_FILTERS, ...f }, 'query', { ...ctx, ...extra }).map((c) => c.docId);
    expect(q({ status: 'todo' })).toEqual(['d2', 'd4', 'd5']);
    expect(q({ status: 'decided' })).toEqual(['d1']);
    expect(q({ status: 'skip' })).toEqual(['d4']);
    expect(q({ flag: 'flagged' })).toEqual(['d2', 'd4']);
    expect(q({ flag: 'suspected-false-negative' })).toEqual(['d4']);
    expect(q({ flag: 'unflagged' })).toEqual(['d1', 'd5']);
    expect(q({ ce: [1, 4] })).toEqual(['d4', 'd5']);
    expect(q({ fused: [0.985, null] })).toEqual(['d1', 'd4']);
    expect(q({ disagreement: 50 })).toEqual(['d1']);
    expect(q({ search: 'ZLIB' })).toEqual(['d4', 'd5']);
    expect(q({ search: 'd2' })).toEqual(['d2']);
    expect(q({ search: 'nothing' }, { docMatches: new Set(['d5']) })).toEqual(['d5']);
    expect(q({ onlyNew: true }, { seenBefore: new Set([pairKey('q1', 'd1'), pairKey('q2', 'd5')]) })).toEqual(['d2', 'd4']);
  });

  it('member spread counts a missing member as depth + 1', () => {
    expect(memberSpread({ a: { rank: 2, score: 1 }, b: { rank: 80, score: 0.1 } }, 100)).toBe(78);
    expect(memberSpread({ a: { rank: 2, score: 1 }, b: { rank: null, score: null } }, 100)).toBe(99);
    expect(memberSpread({ a: { rank: 2, score: 1 } }, 100)).toBe(0);
  });

  it('finds the next todo with wrap-around and the query block', () => {
    labels.clear();
    const queue = buildQueue(items, DEFAULT_FILTERS, 'query', ctx);
    labels.set(pairKey('q1', 'd2'), 'reject');
    labels.set(pairKey('q2', 'd4'), 'accept');
    expect(nextTodo(queue, 1, ctx)).toBe(3);
    labels.set(pairKey('q2', 'd5'), 'accept');
    expect(nextTodo(queue, 1, ctx)).toBe(0);
    labels.set(pairKey('q1', 'd1'), 'accept');
    expect(nextTodo(queue, 0, ctx)).toBe(-1);
    expect(queryBlock(queue, 3)).toEqual([2, 4]);
    expect(queryBlock(queue, 0)).toEqual([0, 2]);
  });
});

describe('compareRuns', () => {
  it('counts new, kept, dropped candidates and stale rejections', () => {
    const earlier = [
      { queryId: 'q1', docId: 'a' },
      { queryId: 'q1', docId: 'b' },
      { queryId: 'q1', docId: 'c' },
    ];
    const later = [
      { queryId: 'q1', docId: 'a', rank: 1 },
      { queryId: 'q1', docId: 'b', rank: 30 },
      { queryId: 'q1', docId: 'd', rank: 2 },
      { queryId: 'q1', docId: 'e', rank: 3 },
    ];
    const labels: Record<string, DecisionLabel> = { a: 'reject', b: 'reject', e: 'positive' };
    expect(compareRuns(earlier, later, (_q, d) => labels[d])).toEqual({
      total: 4,
      newCandidates: 2,
      kept: 2,
      dropped: 1,
      rejectedStillHigh: 1,
      positivesStillProposed: 1,
    });
  });
});

describe('markdown', () => {
  it('parses the supported blocks', () => {
    const md = '# Title\n\nSome *very* **bold** text\ncontinued.\n\n- one\n- two `x`\n\n1. first\n2. second\n\n> quoted\n\n---\n\n```\n<b>raw</b>\n```';
    expect(parseMarkdown(md)).toEqual([
      { type: 'heading', level: 1, children: [{ type: 'text', text: 'Title' }] },
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'Some ' },
          { type: 'em', children: [{ type: 'text', text: 'very' }] },
          { type: 'text', text: ' ' },
          { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
          { type: 'text', text: ' text continued.' },
        ],
      },
      { type: 'list', ordered: false, items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two ' }, { type: 'code', text: 'x' }]] },
      { type: 'list', ordered: true, items: [[{ type: 'text', text: 'first' }], [{ type: 'text', text: 'second' }]] },
      { type: 'quote', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'quoted' }] }] },
      { type: 'hr' },
      { type: 'code', text: '<b>raw</b>' },
    ]);
  });

  it('keeps HTML as text and drops unsafe links', () => {
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([{ type: 'text', text: '<img src=x onerror=alert(1)>' }]);
    expect(parseInline('[x](javascript:void)')).toEqual([{ type: 'text', text: 'x' }]);
    expect(parseInline('[docs](https://example.org)')).toEqual([
      { type: 'link', href: 'https://example.org', children: [{ type: 'text', text: 'docs' }] },
    ]);
    expect(parseInline('snake_case_name')).toEqual([{ type: 'text', text: 'snake_case_name' }]);
    expect(parseInline('\\*not em\\*')).toEqual([{ type: 'text', text: '*not em*' }]);
  });
});

describe('agreement', () => {
  it('computes kappa over pairs both decided and lists conflicts', async () => {
    const { agreement, reviewers, median } = await import('./agreement');
    const d = (reviewer: string, docId: string, label: DecisionLabel) => ({ queryId: 'q', docId, reviewer, label });
    const decisions = [
      d('ann', 'a', 'accept'), d('bob', 'a', 'accept'),
      d('ann', 'b', 'accept'), d('bob', 'b', 'reject'),
      d('ann', 'c', 'reject'), d('bob', 'c', 'reject'),
      d('ann', 'e', 'positive'), d('bob', 'e', 'positive'),
      d('ann', 'f', 'skip'), d('bob', 'f', 'reject'), // skip: not a judgement
      d('ann', 'g', 'accept'), // only one reviewer
    ];
    const r = agreement(decisions, 'ann', 'bob');
    expect(r.n).toBe(4);
    expect(r.kappa).toBeCloseTo(7 / 11, 12); // same table as the 3-label kappa case
    expect(r.conflicts).toEqual([{ queryId: 'q', docId: 'b', a: 'accept', b: 'reject' }]);
    expect(reviewers(decisions)).toEqual(['ann', 'bob']);
    expect(median([30, 10, 20, 0])).toBe(20);
    expect(median([10, 20])).toBe(15);
  });
});

describe('audit order', () => {
  const item = (q: string, d: string, rank: number): import('./queue').QueueItem => ({ queryId: q, docId: d, rank, fused: -rank, members: {}, flags: [] });
  const pool = Array.from({ length: 400 }, (_, i) => item(`q${i % 40}`, `d${i}`, (i % 10) + 1));

  it('is a permutation that ignores scores, the same for a seed and different across seeds', async () => {
    const { auditOrder } = await import('./queue');
    const a = auditOrder(pool, 7);
    expect(new Set(a.map((c) => c.docId)).size).toBe(400);
    expect(auditOrder([...pool].reverse(), 7).map((c) => c.docId)).toEqual(a.map((c) => c.docId));
    expect(auditOrder(pool, 8).map((c) => c.docId)).not.toEqual(a.map((c) => c.docId));
    // not the rank order: the top-ranked candidates are spread over the permutation
    const firstHundredTop = a.slice(0, 100).filter((c) => c.rank === 1).length;
    expect(firstHundredTop).toBeGreaterThan(2);
    expect(firstHundredTop).toBeLessThan(20);
  });

  it('samples uniformly: the prefix share of a marked subset tracks its true share', async () => {
    const { auditOrder } = await import('./queue');
    // a subset defined by rank (a score-like property) must not be over- or under-sampled
    let sum = 0;
    for (let seed = 1; seed <= 20; seed++) sum += auditOrder(pool, seed).slice(0, 100).filter((c) => c.rank <= 3).length / 100;
    expect(sum / 20).toBeGreaterThan(0.25);
    expect(sum / 20).toBeLessThan(0.35);
  });

  it('the audit sample is the decided prefix; a skip ends it', async () => {
    const { auditOrder, auditSample, pairKey } = await import('./queue');
    const order = auditOrder(pool, 3);
    const labels = new Map<string, import('../types').DecisionLabel>();
    labels.set(pairKey(order[0].queryId, order[0].docId), 'accept');
    labels.set(pairKey(order[1].queryId, order[1].docId), 'reject');
    labels.set(pairKey(order[2].queryId, order[2].docId), 'positive');
    labels.set(pairKey(order[3].queryId, order[3].docId), 'skip');
    labels.set(pairKey(order[4].queryId, order[4].docId), 'reject');
    const s = auditSample(pool, 3, (q, d) => labels.get(pairKey(q, d)));
    expect(s).toEqual({ audited: 3, falseNegatives: 2, population: 400 });
  });

  it('buildQueue with order audit keeps the filters and uses ctx.auditSeed', async () => {
    const { auditOrder, buildQueue, DEFAULT_FILTERS } = await import('./queue');
    const ctx = { labelOf: () => undefined, depth: 100, auditSeed: 5 };
    expect(buildQueue(pool, { ...DEFAULT_FILTERS, fused: [-3, null] }, 'audit', ctx).map((c) => c.docId)).toEqual(
      auditOrder(pool.filter((c) => c.fused >= -3), 5).map((c) => c.docId),
    );
  });
});

describe('negative overlap between runs', () => {
  it('Jaccard per shared query by hand', async () => {
    const { negativeOverlap } = await import('./compare');
    const a = [
      { queryId: 'q1', docId: 'a' }, { queryId: 'q1', docId: 'b' }, { queryId: 'q1', docId: 'c' },
      { queryId: 'q2', docId: 'x' },
      { queryId: 'q3', docId: 'only-a' },
    ];
    const b = [
      { queryId: 'q1', docId: 'b' }, { queryId: 'q1', docId: 'c' }, { queryId: 'q1', docId: 'd' },
      { queryId: 'q2', docId: 'x' },
      { queryId: 'q4', docId: 'only-b' },
    ];
    const o = negativeOverlap(a, b);
    expect(o.sharedQueries).toBe(2);
    expect(o.perQuery.get('q1')).toBe(0.5); // {b,c} / {a,b,c,d}
    expect(o.perQuery.get('q2')).toBe(1);
    expect(o.identical).toBe(1);
    expect(o.meanJaccard).toBe(0.75);
    expect(negativeOverlap(a, []).meanJaccard).toBeNaN();
  });
});

describe('uncertain first with a review model', () => {
  it('orders by the predicted probability’s distance to the threshold, unpredicted last, ties by member disagreement', async () => {
    const { buildQueue, DEFAULT_FILTERS, pairKey } = await import('./queue');
    const mk = (docId: string, rank: number, members: Record<string, { rank: number | null; score: number | null }> = {}) => ({ queryId: 'q', docId, rank, fused: -rank, members, flags: [] });
    const items = [
      mk('sure-negative', 1),
      mk('near-threshold', 2),
      mk('reviewed', 3),
      mk('tie-agree', 4, { a: { rank: 4, score: 1 }, b: { rank: 5, score: 1 } }),
      mk('tie-disagree', 5, { a: { rank: 1, score: 1 }, b: { rank: 90, score: 1 } }),
    ];
    const probability = new Map([
      [pairKey('q', 'sure-negative'), 0.02],
      [pairKey('q', 'near-threshold'), 0.38],
      [pairKey('q', 'tie-agree'), 0.2],
      [pairKey('q', 'tie-disagree'), 0.6],
    ]);
    const ctx = { labelOf: () => undefined, depth: 100, predicted: { probability, threshold: 0.4 } };
    expect(buildQueue(items, DEFAULT_FILTERS, 'uncertainty', ctx).map((c) => c.docId)).toEqual(['near-threshold', 'tie-disagree', 'tie-agree', 'sure-negative', 'reviewed']);
  });
});
