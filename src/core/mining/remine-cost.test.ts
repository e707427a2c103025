import { describe, expect, it } from 'vitest';
import { describeCost, formatDuration, memberCost, totalSeconds, type Throughput } from './remine-cost';

const measured: Throughput = { perS: 53, at: Date.UTC(2026, 11, 2, 10, 0), device: 'wasm' };

describe('re-mining cost', () => {
  it('a first run embeds every document and query: (4000 + 300) / 53 s', () => {
    const c = memberCost('pkgs-minilm', [
      { what: 'documents', model: 'pkgs-minilm', total: 4000, stored: 0, rate: measured },
      { what: 'queries', model: 'pkgs-minilm', total: 300, stored: 0, rate: measured },
    ]);
    expect(c.todo).toBe(4300);
    expect(c.seconds).toBeCloseTo(4300 / 53, 9); // 81.13 s
    expect(describeCost(c)).toBe('pkgs-minilm: 4,000 documents (0 stored) + 300 queries ≈ 1 min 21 s at 53 docs/s measured 2026-12-02 on wasm');
  });

  it('a re-run with the same model costs only what is not stored', () => {
    const c = memberCost('pkgs-minilm', [
      { what: 'documents', model: 'pkgs-minilm', total: 4000, stored: 3900, rate: measured },
      { what: 'queries', model: 'pkgs-minilm', total: 300, stored: 300, rate: measured },
    ]);
    expect(c.todo).toBe(100);
    expect(c.seconds).toBeCloseTo(100 / 53, 9);
    expect(describeCost(c)).toBe('pkgs-minilm: 4,000 documents (3,900 stored) + 300 queries (300 stored) ≈ 2 s at 53 docs/s measured 2026-12-02 on wasm');
    const all = memberCost('pkgs-minilm', [{ what: 'documents', model: 'pkgs-minilm', total: 4000, stored: 4000 }]);
    expect(all.seconds).toBe(0);
    expect(describeCost(all)).toBe('pkgs-minilm: 4,000 documents (4,000 stored) ≈ 0 s (all stored)');
  });

  it('an asymmetric member whose query encoder changed embeds the queries only, at the query model rate', () => {
    const q: Throughput = { perS: 100, at: Date.UTC(2026, 11, 1), device: 'webgpu' };
    const c = memberCost('pkgs-static(q:pkgs-minilm)', [
      { what: 'documents', model: 'pkgs-static', total: 4000, stored: 4000, rate: measured },
      { what: 'queries', model: 'pkgs-minilm', total: 300, stored: 0, rate: q },
    ]);
    expect(c.seconds).toBeCloseTo(3, 9);
    expect(describeCost(c)).toBe(
      'pkgs-static(q:pkgs-minilm): 4,000 documents (4,000 stored) + 300 queries by pkgs-minilm ≈ 3 s at 100 docs/s measured 2026-12-01 on webgpu',
    );
    // Both models with work: both rates named.
    const both = memberCost('x', [
      { what: 'documents', model: 'pkgs-static', total: 530, stored: 0, rate: measured },
      { what: 'queries', model: 'pkgs-minilm', total: 300, stored: 0, rate: q },
    ]);
    expect(both.seconds).toBeCloseTo(10 + 3, 9);
    expect(describeCost(both)).toContain('≈ 13 s at pkgs-static 53 docs/s measured 2026-12-02 on wasm; pkgs-minilm 100 docs/s measured 2026-12-01 on webgpu');
  });

  it('without a measurement the cost is unknown and says where to measure', () => {
    const c = memberCost('pkgs-static', [
      { what: 'documents', model: 'pkgs-static', total: 10, stored: 0 },
      { what: 'queries', model: 'pkgs-static', total: 5, stored: 0 },
    ]);
    expect(c.seconds).toBeUndefined();
    expect(c.unmeasured).toEqual(['pkgs-static']);
    expect(describeCost(c)).toBe('pkgs-static: 10 documents (0 stored) + 5 queries: unknown (test pkgs-static on the Models page)');
    expect(totalSeconds([c])).toBeUndefined();
  });

  it('reranker pairs over the cross-encoder rate: 300 queries × 6 pairs at 25 pairs/s = 72 s', () => {
    const c = memberCost('pkgs-rerank', [{ what: 'pairs', model: 'pkgs-rerank', total: 1800, stored: 0, atLeast: true, rate: { ...measured, perS: 25 } }]);
    expect(c.seconds).toBeCloseTo(72, 9);
    expect(describeCost(c)).toBe('pkgs-rerank: ≥ 1,800 pairs ≈ 1 min 12 s at 25 pairs/s measured 2026-12-02 on wasm');
    expect(totalSeconds([c, memberCost('bm25', [])])).toBeCloseTo(72, 9);
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(0.4)).toBe('< 1 s');
    expect(formatDuration(59.4)).toBe('59 s');
    expect(formatDuration(120)).toBe('2 min');
    expect(formatDuration(3600 + 5 * 60 + 10)).toBe('1 h 5 min');
  });
});
