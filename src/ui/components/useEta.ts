// Smoothed seconds left of a counter that grows (see RateEma): one smoother per key, fed
// whenever the component renders with a new count.
import { useRef } from 'react';
import { RateEma } from './eta';

export function useSmoothedEta(key: string, done: number, total: number): { rate?: number; etaS?: number } {
  const smoothers = useRef(new Map<string, RateEma>());
  let ema = smoothers.current.get(key);
  if (!ema) smoothers.current.set(key, (ema = new RateEma()));
  ema.update(performance.now(), done);
  return { rate: ema.rate, etaS: total > done ? ema.etaS(total) : undefined };
}
