// Evaluate: how good the run's retrieval was (metrics per member and for the ensemble), how
// positives and chosen negatives score per member, where positives rank, and what review
// changed. Mounted by the shell at #/p/<projectId>/evaluate[/<runId>].
//
// The picked run's candidates are read once (again only when the run itself changes) and
// shared by the charts, the review model and the run comparison; the decisions are read live,
// and the review model is fitted once per change of them.
import { plural } from '../../components/format';
import { useEffect, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { getDB } from '../../../db/db';
import { listRuns } from '../../../db/runs';
import { reviewModelOf } from '../../../db/learn';
import type { CandidateRecord, RunRecord } from '../../../db/schema';
import { resolveDecisions } from '../../../core/export';
import type { ReviewModelReport } from '../../../core/learn';
import { niceTicks } from '../../../core/stats/ticks';
import { useColorScheme } from '../../components/useColorScheme';
import { loadEvaluateView, type EvaluateView } from './data';
import { LearnPanel } from './LearnPanel';
import { RunsCompare } from './RunsCompare';
import { PALETTES, memberColor, type ChartPalette } from './palette';
import { rankDistribution, reviewCounts, type HistogramBin, type ReviewCounts } from './stats';
import './evaluate.css';

const METRICS = ['ndcg@10', 'mrr@10', 'recall@10', 'recall@100'] as const;
// Legend entries in the order of the bars (recharts sorts them by name by default), with
// their text in the page's colour: a pale swatch colour must not make its label unreadable.
const legendProps = {
  itemSorter: null,
  formatter: (value: string) => <span className="evaluate-legend-text">{value}</span>,
} as const;

/** What the page reads for the picked run, once per change of the run (not of the decisions). */
interface RunData {
  runId: string;
  candidates: CandidateRecord[];
  view: EvaluateView;
}

/** Changes when what the page reads for `run` may have: another run, status, metrics; progress while mining. */
function runLoadKey(run: RunRecord): string {
  return [run.id, run.status, JSON.stringify(run.metrics ?? null), run.status === 'done' ? '' : JSON.stringify(run.stages)].join('|');
}

export function EvaluatePage(props: { projectId: string; runId?: string }) {
  const db = getDB();
  const runs = useLiveQuery(() => listRuns(db, props.projectId), [props.projectId]);
  const [picked, setPicked] = useState<string | undefined>(props.runId);
  useEffect(() => setPicked(props.runId), [props.runId]);
  const run = runs?.find((r) => r.id === picked) ?? runs?.find((r) => r.status === 'done') ?? runs?.[0];
  // Every decision of the project, live: the counts and the model follow the review, a changed
  // label included (a count of decisions would not change then).
  const decisions = useLiveQuery(() => db.decisions.where('projectId').equals(props.projectId).toArray(), [props.projectId]);
  const resolved = useMemo(() => (decisions ? resolveDecisions(decisions) : undefined), [decisions]);
  const [data, setData] = useState<RunData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadKey = run ? runLoadKey(run) : '';
  useEffect(() => {
    if (!run) return;
    let alive = true;
    (async (): Promise<RunData> => {
      const candidates = await db.candidates.where('runId').equals(run.id).toArray();
      return { runId: run.id, candidates, view: await loadEvaluateView(db, run, candidates) };
    })().then(
      (d) => alive && (setData(d), setError(null)),
      (e: unknown) => alive && setError(String(e)),
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, loadKey]);
  const current = data && run && data.runId === run.id ? data : null;
  const counts = useMemo(() => (current && resolved ? reviewCounts(current.candidates, resolved) : null), [current, resolved]);
  const model = useMemo((): { report: ReviewModelReport } | { error: string } | null => {
    if (!current || !resolved) return null;
    try {
      return { report: reviewModelOf(current.view.run, current.candidates, resolved) };
    } catch (e) {
      return { error: String(e) };
    }
  }, [current, resolved]);

if (runs === undefined) return <section data-page="evaluate" className="evaluate">Loading…</section>;
  if (!run) {
    return (
      <section data-page="evaluate" className="evaluate">
        <h2>Evaluate</h2>
        <p className="evaluate-empty">No mining run in this project yet: start one on the Mine page.</p>
      </section>
    );
  }
  return (
    <section data-page="evaluate" className="evaluate">
      <header className="evaluate-head">
        <h2>Evaluate</h2>
        <label>
          Run{' '}
          <select value={run.id} onChange={(e) => setPicked(e.target.value)} data-testid="evaluate-run">
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} · {r.status} · {new Date(r.createdAt).toLocaleString()}
              </option>
            ))}
          </select>
        </label>
        <RunSummary run={run} />
      </header>
      {error && <p className="evaluate-error">Could not load this run: {error}</p>}
      <MetricsTable run={run} />
      {current && counts && <Charts view={current.view} counts={counts} />}
      <h3>Learn from reviews</h3>
      <LearnPanel db={db} run={run} model={model} />
      <h3>Runs side by side</h3>
      <RunsCompare db={db} picked={run} runs={runs} pickedCandidates={current?.candidates} resolved={resolved} pickedReport={model && 'report' in model ? model.report : undefined} />
    </section>
  );
}

function RunSummary({ run }: { run: RunRecord }) {
  const c = run.config;
  return (
    <p className="evaluate-summary">
      {c.members.map((m) => m.name).join(' + ')} · fusion {c.fusion} · strategy {c.strategy} · range {c.range.join(':')} · {c.negatives}{' '}
      negatives/query{c.reranker ? ` · reranker ${c.reranker}` : ''} · split {c.split}
    </p>
  );
}

function MetricsTable({ run }: { run: RunRecord }) {
  const metrics = run.metrics;
  if (!metrics || Object.keys(metrics).length === 0) {
    return <p className="evaluate-empty">No metrics stored for this run yet (they are written when retrieval finishes).</p>;
  }
  // Members in config order, then the ensemble, then anything else the miner stored.
  const order = [...run.config.members.map((m) => m.name), 'ensemble'];
  const names = [...order.filter((n) => n in metrics), ...Object.keys(metrics).filter((n) => !order.includes(n))];
  const best: Record<string, number> = {};
  for (const k of METRICS) best[k] = Math.max(...names.map((n) => metrics[n]?.[k] ?? -Infinity));
  return (
    <table className="evaluate-metrics" data-testid="metrics-table">
      <thead>
        <tr>
          <th>retriever</th>
          {METRICS.map((k) => (
            <th key={k}>{k}</th>
          ))}
          <th>queries</th>
        </tr>
      </thead>
      <tbody>
        {names.map((n) => (
          <tr key={n} className={n === 'ensemble' ? 'is-ensemble' : undefined}>
            <th scope="row">{n}</th>
            {METRICS.map((k) => {
              const v = metrics[n]?.[k];
              return (
                <td key={k} className={v !== undefined && v === best[k] ? 'is-best' : undefined}>
                  {v === undefined ? '—' : v.toFixed(3)}
                </td>
              );
            })}
            <td>{metrics[n]?.queries ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Integer count axis with round, even ticks up to `max`. */
function countAxis(max: number) {
  const t = niceTicks(0, max, 5, { integer: true });
  return { ticks: t.ticks, domain: t.domain, allowDecimals: false, interval: 0 as const };
}

function Charts({ view, counts: c }: { view: EvaluateView; counts: ReviewCounts }) {
  const pal = PALETTES[useColorScheme()];
  const ranks: Record<string, Array<number | null>> = Object.fromEntries(view.members.filter((m) => m.ranks.length > 0).map((m) => [m.name, m.ranks]));
  if (view.ensembleRanks.length > 0) ranks.ensemble = view.ensembleRanks;
  const rankRows = rankDistribution(ranks);
  const rankMax = Math.max(0, ...rankRows.flatMap((r) => Object.values(r).filter((v): v is number => typeof v === 'number')));
  const countRows = [
    { stage: 'mined', candidates: c.candidates, flagged: c.flagged },
    { stage: 'reviewed', accepted: c.accepted, rejected: c.rejected, promoted: c.promoted, skipped: c.skipped, unreviewed: c.unreviewed },
  ];
  const tick = { fill: pal.axis, fontSize: 12 };
  // Member bars in config order; the fused list last, in its own colour.
  const memberNames = Object.keys(ranks).filter((n) => n !== 'ensemble');
  const rankSeries = [...memberNames.map((name, i) => ({ name, color: memberColor(pal, i) })), ...('ensemble' in ranks ? [{ name: 'ensemble', color: pal.ensemble }] : [])];
  return (
    <>
      <h3>Review: before and after</h3>
      <div className="evaluate-counts" data-testid="review-counts">
        <Stat label="candidates" value={c.candidates} />
        <Stat label="flagged by denoiser" value={c.flagged} />
        <Stat label="accepted" value={c.accepted} tone="neg" />
        <Stat label="rejected" value={c.rejected} />
        <Stat label="promoted to positive" value={c.promoted} tone="pos" />
        <Stat label="skipped" value={c.skipped} />
        <Stat label="not reviewed" value={c.unreviewed} />
        <BarChart width={460} height={160} data={countRows} layout="vertical" margin={{ left: 10, right: 20 }}>
          <defs>
            {/* Unreviewed: hatching, visible in both schemes yet plainly not a decision. */}
            <pattern id="evaluate-unreviewed" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" fill={pal.status.unreviewed} fillOpacity={0.25} />
              <line x1="0" y1="0" x2="0" y2="6" stroke={pal.status.unreviewed} strokeWidth="3" />
            </pattern>
          </defs>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke={pal.grid} />
          <XAxis type="number" {...countAxis(c.candidates)} tick={tick} stroke={pal.grid} />
          <YAxis type="category" dataKey="stage" width={70} tick={tick} stroke={pal.grid} />
          <Tooltip />
          <Legend {...legendProps} />
          <Bar dataKey="candidates" stackId="a" fill={pal.status.candidates} isAnimationActive={false} />
          <Bar dataKey="flagged" stackId="b" fill={pal.status.flagged} isAnimationActive={false} />
          <Bar dataKey="accepted" stackId="a" fill={pal.negative} isAnimationActive={false} />
          <Bar dataKey="rejected" stackId="a" fill={pal.status.rejected} isAnimationActive={false} />
          <Bar dataKey="promoted" stackId="a" fill={pal.positive} isAnimationActive={false} />
          <Bar dataKey="skipped" stackId="a" fill={pal.status.skipped} isAnimationActive={false} />
          <Bar dataKey="unreviewed" stackId="a" fill="url(#evaluate-unreviewed)" stroke={pal.status.unreviewed} strokeWidth={1} isAnimationActive={false} />
        </BarChart>
      </div>

      <h3>Scores: positives vs chosen negatives</h3>
      <p className="evaluate-note">
        Per retriever, the score of every positive and of every candidate the strategy kept ({plural(view.queries, 'query', 'queries')}). Overlap is where
        false negatives hide.
      </p>
      <div className="evaluate-grid">
        {view.members.map((m) => (
          <Histogram key={m.name} title={`${m.name} (${m.positives} positives, ${m.negatives} negatives)`} bins={m.histogram} pal={pal} />
        ))}
        {view.crossEncoder.length > 0 && <Histogram title="cross-encoder logit (hardest positive vs candidates)" bins={view.crossEncoder} pal={pal} />}
      </div>

      <h3>Rank of the first positive</h3>
      {Object.keys(ranks).length === 0 ? (
        <p className="evaluate-empty">The retrieval lists of this run are no longer stored.</p>
      ) : (
        <div data-testid="rank-chart">
          <BarChart width={880} height={260} data={rankRows} margin={{ top: 8, right: 20, left: 0, bottom: 8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={pal.grid} />
            <XAxis dataKey="bucket" tick={tick} stroke={pal.grid} interval={0} />
            <YAxis {...countAxis(rankMax)} tick={tick} stroke={pal.grid} label={{ value: 'queries', angle: -90, position: 'insideLeft', fill: pal.axis }} />
            <Tooltip />
            <Legend {...legendProps} />
            {rankSeries.map((s) => (
              <Bar key={s.name} dataKey={s.name} fill={s.color} isAnimationActive={false} />
            ))}
          </BarChart>
        </div>
      )}
    </>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: 'pos' | 'neg' }) {
  return (
    <div className={`evaluate-stat${tone ? ` is-${tone}` : ''}`}>
      <span className="evaluate-stat-value">{value.toLocaleString()}</span>
      <span className="evaluate-stat-label">{label}</span>
    </div>
  );
}

function Histogram({ title, bins, pal }: { title: string; bins: HistogramBin[]; pal: ChartPalette }) {
  const tick = { fill: pal.axis, fontSize: 11 };
  // Scores on a numeric axis with round, even ticks; each bar sits at its bin's centre.
  const rows = bins.map((b) => ({ ...b, mid: (b.x0 + b.x1) / 2 }));
  const x = bins.length ? niceTicks(bins[0].x0, bins[bins.length - 1].x1, 6) : null;
  const yMax = Math.max(0, ...bins.map((b) => Math.max(b.positives, b.negatives)));
  return (
    <figure className="evaluate-hist">
      <figcaption>{title}</figcaption>
      {bins.length === 0 ? (
        <p className="evaluate-empty">no scores</p>
      ) : (
        <BarChart width={430} height={210} data={rows} barGap={0} barCategoryGap={1} margin={{ top: 4, right: 12, left: 0, bottom: 4 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={pal.grid} />
          <XAxis dataKey="mid" type="number" domain={x!.domain} ticks={x!.ticks} interval={0} tick={tick} stroke={pal.grid} />
          <YAxis {...countAxis(yMax)} tick={tick} width={40} stroke={pal.grid} />
          <Tooltip labelFormatter={(_, p) => (p?.[0] ? `${(p[0].payload as HistogramBin).x0.toFixed(3)} – ${(p[0].payload as HistogramBin).x1.toFixed(3)}` : '')} />
          <Legend wrapperStyle={{ fontSize: 12 }} {...legendProps} />
          <Bar dataKey="positives" fill={pal.positive} isAnimationActive={false} />
          <Bar dataKey="negatives" name="chosen negatives" fill={pal.negative} isAnimationActive={false} />
        </BarChart>
      )}
    </figure>
  );
}
