// What (re-)mining costs before a run starts: texts each dense member still has to embed
// (corpus units not stored under its model key, plus queries) divided by the throughput
// measured for that model on this device, plus cross-encoder pairs over the reranker's
// rate. Stored vectors cost nothing, so a re-run with the same document encoder (or an
// asymmetric member whose query encoder alone changed) costs the queries only.
// Pure: the page collects counts and measurements, this does the arithmetic and the words.

/** A measured rate of one model on one device (the Models page test, or a mining run). */
export interface Throughput {
  /** Texts (or pairs, for a cross-encoder) per second. */
  perS: number;
  /** When it was measured (ms since the epoch). */
  at: number;
  /** The device that ran it (`wasm`, `webgpu`). */
  device: string;
}

/** One slice of a member's work: texts of one role, embedded by one model. */
export interface CostPart {
  /** `documents`, `chunks`, `queries` or `pairs`. */
  what: string;
  /** The model that embeds (or scores) them. */
  model: string;
  total: number;
  /** Already stored under the model's key: free. */
  stored: number;
  /** undefined: never measured. */
  rate?: Throughput;
  /** The total is a lower bound (reranker pairs depend on what the cross-encoder asks for). */
  atLeast?: boolean;
}

export interface MemberCost {
  name: string;
  parts: CostPart[];
  /** Seconds for the whole member; undefined when a part with work to do has no measured rate. */
  seconds?: number;
  /** Texts (or pairs) still to compute. */
  todo: number;
  /** Models with work to do and no measurement. */
  unmeasured: string[];
}

export function toDo(p: CostPart): number {
  return Math.max(0, p.total - Math.min(p.stored, p.total));
}

/** Sums the parts: Σ (total − stored) / rate over parts with work to do. */
export function memberCost(name: string, parts: CostPart[]): MemberCost {
  let seconds: number | undefined = 0;
  let todo = 0;
  const unmeasured: string[] = [];
  for (const p of parts) {
    const n = toDo(p);
    todo += n;
    if (n === 0) continue;
    if (!p.rate || !(p.rate.perS > 0)) {
      if (!unmeasured.includes(p.model)) unmeasured.push(p.model);
      seconds = undefined;
    } else if (seconds !== undefined) seconds += n / p.rate.perS;
  }
  return { name, parts, seconds, todo, unmeasured };
}

/** `45 s`, `1 min 20 s`, `2 h 5 min`; `< 1 s` for a little, `0 s` for nothing. */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0 s';
  if (seconds < 1) return '< 1 s';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    const r = s % 60;
    return r ? `${m} min ${r} s` : `${m} min`;
  }
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

const count = (n: number) => n.toLocaleString('en-US');

function rateText(r: Throughput, unit: string): string {
  const day = new Date(r.at).toISOString().slice(0, 10);
  const perS = r.perS >= 10 ? Math.round(r.perS).toString() : r.perS.toFixed(1);
  return `${perS} ${unit}/s measured ${day} on ${r.device}`;
}

const unitOf = (p: CostPart) => (p.what === 'pairs' ? 'pairs' : 'docs');

export const UNKNOWN_COST = 'unknown (test the model on the Models page)';

/**
 * One line per member, e.g.
 * `pkgs-minilm: 4,000 documents (0 stored) + 300 queries ≈ 1 min 21 s at 53 docs/s measured 2026-12-02 on wasm`.
 * A part embedded by another model than the first (the query encoder of an asymmetric
 * member) names it; rates are listed per model when the models differ.
 */
export function describeCost(c: MemberCost): string {
  const first = c.parts[0]?.model;
  const pieces = c.parts.map((p) => {
    let s = `${p.atLeast ? '≥ ' : ''}${count(p.total)} ${p.what}`;
    if (p.what !== 'queries' && p.what !== 'pairs') s += ` (${count(Math.min(p.stored, p.total))} stored)`;
    else if (p.stored > 0) s += ` (${count(Math.min(p.stored, p.total))} stored)`;
    if (p.model !== first) s += ` by ${p.model}`;
    return s;
  });
  const head = `${c.name}: ${pieces.join(' + ')}`;
  if (c.todo === 0) return `${head} ≈ 0 s (all stored)`;
  if (c.seconds === undefined) return `${head}: ${UNKNOWN_COST.replace('the model', c.unmeasured.join(' and '))}`;
  // The rates that count: one per model with work to do.
  const rates = new Map<string, string>();
  for (const p of c.parts) if (toDo(p) > 0 && p.rate && !rates.has(p.model)) rates.set(p.model, rateText(p.rate, unitOf(p)));
  const at = rates.size === 1 ? [...rates.values()][0] : [...rates].map(([m, r]) => `${m} ${r}`).join('; ');
  return `${head} ≈ ${formatDuration(c.seconds)} at ${at}`;
}

/** The total over members; undefined if any member's cost is unknown. */
export function totalSeconds(costs: readonly MemberCost[]): number | undefined {
  let t = 0;
  for (const c of costs) {
    if (c.seconds === undefined) return undefined;
    t += c.seconds;
  }
  return t;
}
