import { describe, expect, it } from 'vitest';
import { RateEma } from './eta';

describe('RateEma', () => {
  it('a slow batch moves the ETA a little, not to the slow batch rate', () => {
    const ema = new RateEma(20_000);
    ema.update(0, 0);
    // 10 items/s for 60 s, updates every 2 s.
    for (let t = 2000; t <= 60_000; t += 2000) ema.update(t, t / 100);
    expect(ema.rate).toBeCloseTo(10, 6);
    expect(ema.etaS(1200)).toBeCloseTo(60, 6); // 600 done, 600 left
    // One 10-second stall (a model warm-up, a busy machine), then 2 items in it: 0.2/s.
    ema.update(70_000, 602);
    const rate = ema.rate!;
    // alpha = 1 - e^(-10/20) = 0.3935: 0.3935 * 0.2 + 0.6065 * 10 = 6.14 items/s
    expect(rate).toBeCloseTo(0.3935 * 0.2 + 0.6065 * 10, 2);
    // The unsmoothed last-interval rate would say 2,990 s; the ETA says about 97 s.
    expect(ema.etaS(1200)!).toBeLessThan(100);
  });

  it('starts over when the counter goes back (a new stage)', () => {
    const ema = new RateEma();
    ema.update(0, 0);
    ema.update(1000, 50);
    expect(ema.rate).toBe(50);
    expect(ema.update(2000, 3)).toBeUndefined();
    expect(ema.etaS(10)).toBeUndefined();
    ema.update(3000, 8);
    expect(ema.rate).toBe(5);
  });
});
