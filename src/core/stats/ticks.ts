// Axis ticks at round, evenly spaced values (0, 20, 40… or 0.5, 1, 1.5…), for the Evaluate
// charts: a chart library left to itself ticks integer axes unevenly (0, 2, 4, 5…).

/** Step multipliers per power of ten; integer axes skip 2.5 below 10. */
const STEPS = [1, 2, 2.5, 5, 10];

export interface NiceTicks {
  ticks: number[];
  /** [first tick, last tick]: the axis domain, covering [min, max]. */
  domain: [number, number];
}

/**
 * About `target` intervals (at least 2 ticks) covering [min, max], each a multiple of a step of 1, 2, 2.5
 * or 5 times a power of ten, equally spaced and including zero when the range spans it.
 * `integer` keeps the step a whole number (counts). Values are rounded to the step's
 * decimals so 0.1 steps read 0.3, not 0.30000000000000004. An empty or degenerate range
 * widens to one step around its value.
 */
export function niceTicks(min: number, max: number, target = 5, opts: { integer?: boolean } = {}): NiceTicks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return niceTicks(0, 1, target, opts);
  if (min > max) [min, max] = [max, min];
  let span = max - min;
  if (span === 0) span = Math.abs(max) || 1;
  const raw = span / Math.max(1, target);
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = mag * 10;
  for (const s of STEPS) {
    const cand = s * mag;
    if (opts.integer && !Number.isInteger(cand)) continue;
    if (cand >= raw) {
      step = cand;
      break;
    }
  }
  if (opts.integer) step = Math.max(1, Math.round(step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + (Number.isInteger(step / 10 ** Math.floor(Math.log10(step))) ? 0 : 1));
  const round = (v: number) => Number(v.toFixed(decimals)) + 0; // + 0 turns -0 into 0
  let lo = Math.floor(min / step + 1e-9) * step;
  let hi = Math.ceil(max / step - 1e-9) * step;
  if (hi === lo) hi = lo + step;
  lo = round(lo);
  hi = round(hi);
  const ticks: number[] = [];
  const n = Math.round((hi - lo) / step);
  for (let k = 0; k <= n; k++) ticks.push(round(lo + k * step));
  return { ticks, domain: [ticks[0], ticks[ticks.length - 1]] };
}
