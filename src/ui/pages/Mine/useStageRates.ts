// Items per second and ETA of a run's stages, measured from the stored progress as it
// changes (works in any tab, also one that only watches another tab's run). The worker's
// live rate is preferred when this tab runs the stage.
import { useRef } from 'react';
import type { RunRecord } from '../../../db/schema';

export interface StageRate {
  rate: number;
  etaS: number | null;
}

interface Obs {
  t0: number;
  done0: number;
  t: number;
  done: number;
}

export function rateOf(o: Obs, total: number): StageRate | undefined {
  const secs = (o.t - o.t0) / 1000;
  if (secs < 0.5 || o.done <= o.done0) return undefined;
  const rate = (o.done - o.done0) / secs;
  return { rate, etaS: rate > 0 ? (total - o.done) / rate : null };
}

export function useStageRates(run: RunRecord | undefined): Record<string, StageRate | undefined> {
  const seen = useRef(new Map<string, Obs>());
  const out: Record<string, StageRate | undefined> = {};
  if (!run) return out;
  const now = performance.now();
  for (const [stage, p] of Object.entries(run.stages)) {
    const key = `${run.id}|${stage}`;
    let o = seen.current.get(key);
    if (!o || p.done < o.done) {
      o = { t0: now, done0: p.done, t: now, done: p.done };
      seen.current.set(key, o);
    } else if (p.done !== o.done) {
      o.t = now;
      o.done = p.done;
    }
    out[stage] = p.status === 'done' ? undefined : rateOf(o, p.total);
  }
  return out;
}

export function formatEta(s: number | null | undefined): string {
  if (s == null || !Number.isFinite(s)) return '';
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
