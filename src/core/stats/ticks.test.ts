import { describe, expect, it } from 'vitest';
import { niceTicks } from './ticks';

const steps = (t: number[]) => t.slice(1).map((v, i) => Number((v - t[i]).toFixed(10)));

describe('niceTicks', () => {
  it('ticks counts at round, even steps from zero', () => {
    expect(niceTicks(0, 97).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 289, 5, { integer: true }).ticks).toEqual([0, 100, 200, 300]);
    expect(niceTicks(0, 3, 5, { integer: true }).ticks).toEqual([0, 1, 2, 3]);
    // not the uneven 0, 2, 4, 5 a chart library can give a 0..5 integer axis
    expect(niceTicks(0, 5, 5, { integer: true }).ticks).toEqual([0, 1, 2, 3, 4, 5]);
    expect(niceTicks(0, 7, 5, { integer: true }).ticks).toEqual([0, 2, 4, 6, 8]);
  });

  it('integer axes never step by fractions; zero counts still get an axis', () => {
    expect(niceTicks(0, 1, 5, { integer: true }).ticks).toEqual([0, 1]);
    expect(niceTicks(0, 0, 5, { integer: true }).ticks).toEqual([0, 1]);
    expect(niceTicks(0, 12, 5, { integer: true }).ticks).toEqual([0, 5, 10, 15]);
    for (const max of [1, 2, 3, 9, 11, 17, 23, 101, 999, 4321]) {
      const t = niceTicks(0, max, 5, { integer: true }).ticks;
      expect(t.every(Number.isInteger), `max ${max}: ${t}`).toBe(true);
      expect(new Set(steps(t)).size, `max ${max}: ${t}`).toBe(1);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(max);
    }
  });

  it('scores: decimals without float noise, negative ranges through zero', () => {
    expect(niceTicks(0.12, 0.87).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3.7, 8.2).ticks).toEqual([-5, -2.5, 0, 2.5, 5, 7.5, 10]);
    expect(niceTicks(0.31, 0.34).ticks).toEqual([0.31, 0.32, 0.33, 0.34]);
    const t = niceTicks(-0.0123, 0.0456);
    expect(t.ticks).toContain(0);
    expect(t.ticks.map(String).every((s) => s.length <= 6)).toBe(true);
    expect(t.domain).toEqual([t.ticks[0], t.ticks[t.ticks.length - 1]]);
  });

  it('covers the range with evenly spaced ticks, about as many as asked', () => {
    const cases: Array<[number, number]> = [[0, 1], [-1, 1], [3.3, 3.9], [-842, -17], [0.001, 0.0093], [12, 12], [1e6, 2.5e6]];
    for (const [lo, hi] of cases) {
      const { ticks, domain } = niceTicks(lo, hi, 6);
      expect(domain[0]).toBeLessThanOrEqual(lo);
      expect(domain[1]).toBeGreaterThanOrEqual(hi);
      expect(ticks.length, `${lo}..${hi}: ${ticks}`).toBeGreaterThanOrEqual(2);
      expect(ticks.length, `${lo}..${hi}: ${ticks}`).toBeLessThanOrEqual(12);
      const s = steps(ticks);
      expect(s.every((x) => Math.abs(x - s[0]) < 1e-9 * Math.max(1, Math.abs(s[0]))), `${lo}..${hi}: ${ticks}`).toBe(true);
    }
    // non-finite input gives a usable axis
    expect(niceTicks(NaN, Infinity).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
