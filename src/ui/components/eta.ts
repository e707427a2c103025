// A stable ETA: the rate is an exponential moving average over time (not the rate since the
// start, nor the last interval's), so one slow batch or a model warm-up does not make the
// remaining time jump. With irregular updates the weight of a sample grows with the time it
// covers: alpha = 1 - exp(-dt / tau).
export class RateEma {
  private t?: number;
  private done = 0;
  private ema?: number;
  constructor(private readonly tauMs = 20_000) {}

  /** Feeds a progress sample (ms clock, items done); returns the smoothed rate (items/s). */
  update(tMs: number, done: number): number | undefined {
    if (this.t === undefined || done < this.done) {
      // First sample, or the counter went back (a new stage): start over.
      this.t = tMs;
      this.done = done;
      this.ema = undefined;
      return undefined;
    }
    const dt = tMs - this.t;
    if (dt <= 0 || done === this.done) return this.ema;
    const rate = ((done - this.done) * 1000) / dt;
    const alpha = 1 - Math.exp(-dt / this.tauMs);
    this.ema = this.ema === undefined ? rate : alpha * rate + (1 - alpha) * this.ema;
    this.t = tMs;
    this.done = done;
    return this.ema;
  }

  get rate(): number | undefined {
    return this.ema;
  }

  /** Seconds left for `total` items at the smoothed rate; undefined until there is a rate. */
  etaS(total: number): number | undefined {
    return this.ema && this.ema > 0 ? Math.max(0, total - this.done) / this.ema : undefined;
  }
}
