// Evaluate: how good the run's retrieval was (metrics per member and for the ensemble), how
// positives and chosen negatives score per member, where positives rank, and what review
// changed. Mounted by the shell at #/p/<projectId>/evaluate[/<runId>].
import { plural } from '../../components/format';
import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { getDB } from '../../../db/db';
import { listRuns } from '../../../db/runs';
import type { RunRecord } from '../../../db/schema';
import { loadEvaluateView, type EvaluateView } from './data';
import { LearnPanel } from './LearnPanel';
import { RunsCompare } from './RunsCompare';
import { rankDistribution, type HistogramBin } from './stats';
import './evaluate.css';

const METRICS = ['ndcg@10', 'mrr@10', 'recall@10', 'recall@100'] as const;
const POS_COLOR = '#2f7d4f';
const NEG_COLOR = '#c0532b';
// Member colours: none of them is the positive or the negative colour above.
const SERIES_COLORS = ['#3867b5', '#8a5ab8', '#b58b00', '#4a9aa8', '#a0527a', '#6b7a2a'];
// Legend entries in the order of the bars (recharts sorts them by name by default), with
// their text in the page's colour: a pale swatch colour must not make its label unreadable.
const legendProps = {
  itemSorter: null,
  formatter: (value: string) => <span className="evaluate-legend-text">{value}</span>,
} as const;

export function EvaluatePage(props: { projectId: string; runId?: string }) {
  const db = getDB();
  const runs = useLiveQuery(() => listRuns(db, props.projectId), [props.projectId]);
  const [picked, setPicked] = useState<string | undefined>(props.runId);
  useEffect(() => setPicked(props.runId), [props.runId]);
  const run = runs?.find((r) => r.id === picked) ?? runs?.find((r) => r.status === 'done') ?? runs?.[0];
  // Re-read when the run or any decision changes, so the counts follow the review live.
  const decisionsStamp = useLiveQuery(() => db.decisions.where('projectId').equals(props.projectId).count(), [props.projectId]);
  const [view, setView] = useState<EvaluateView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!run) return;
    let alive = true;
    loadEvaluateView(db, run).then(
      (v) => alive && (setView(v), setError(null)),
      (e: unknown) => alive && setError(String(e)),
    );
    return () => {
      alive = false;
    };
  }, [db, run?.id, run?.status, run?.metrics, decisionsStamp]);

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
      {view && view.run.id === run.id && <Charts view={view} />}
      <h3>Learn from reviews</h3>
      <LearnPanel db={db} run={run} stamp={decisionsStamp} />
      <h3>Runs side by side</h3>
      <RunsCompare db={db} picked={run} runs={runs} stamp={decisionsStamp} />
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

function Charts({ view }: { view: EvaluateView }) {
  const ranks: Record<string, Array<number | null>> = Object.fromEntries(view.members.filter((m) => m.ranks.length > 0).map((m) => [m.name, m.ranks]));
  if (view.ensembleRanks.length > 0) ranks.ensemble = view.ensembleRanks;
  const rankRows = rankDistribution(ranks);
  const c = view.counts;
  const countRows = [
    { stage: 'mined', candidates: c.candidates, flagged: c.flagged },
    { stage: 'reviewed', accepted: c.accepted, rejected: c.rejected, promoted: c.promoted, skipped: c.skipped, unreviewed: c.unreviewed },
  ];
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
        <BarChart width={420} height={150} data={countRows} layout="vertical" margin={{ left: 10, right: 20 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="stage" width={70} />
          <Tooltip />
          <Legend {...legendProps} />
          <Bar dataKey="candidates" stackId="a" fill="#8a94a6" isAnimationActive={false} />
          <Bar dataKey="flagged" stackId="b" fill="#b58b00" isAnimationActive={false} />
          <Bar dataKey="accepted" stackId="a" fill={NEG_COLOR} isAnimationActive={false} />
          <Bar dataKey="rejected" stackId="a" fill="#5b5f6b" isAnimationActive={false} />
          <Bar dataKey="promoted" stackId="a" fill={POS_COLOR} isAnimationActive={false} />
          <Bar dataKey="skipped" stackId="a" fill="#b9bfcc" isAnimationActive={false} />
          <Bar dataKey="unreviewed" stackId="a" fill="#e4e7ec" stroke="#8a94a6" strokeWidth={1} isAnimationActive={false} />
        </BarChart>
      </div>

      <h3>Scores: positives vs chosen negatives</h3>
      <p className="evaluate-note">
        Per retriever, the score of every positive and of every candidate the strategy kept ({plural(view.queries, 'query', 'queries')}). Overlap is where
        false negatives hide.
      </p>
      <div className="evaluate-grid">
        {view.members.map((m) => (
          <Histogram key={m.name} title={`${m.name} (${m.positives} positives, ${m.negatives} negatives)`} bins={m.histogram} />
        ))}
        {view.crossEncoder.length > 0 && <Histogram title="cross-encoder logit (hardest positive vs candidates)" bins={view.crossEncoder} />}
      </div>

      <h3>Rank of the first positive</h3>
      {Object.keys(ranks).length === 0 ? (
        <p className="evaluate-empty">The retrieval lists of this run are no longer stored.</p>
      ) : (
        <div data-testid="rank-chart">
        <BarChart width={880} height={260} data={rankRows} margin={{ top: 8, right: 20, left: 0, bottom: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucket" />
          <YAxis allowDecimals={false} label={{ value: 'queries', angle: -90, position: 'insideLeft' }} />
          <Tooltip />
          <Legend {...legendProps} />
          {Object.keys(ranks).map((name, i) => (
            <Bar key={name} dataKey={name} fill={SERIES_COLORS[i % SERIES_COLORS.length]} isAnimationActive={false} />
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

function Histogram({ title, bins }: { title: string; bins: HistogramBin[] }) {
  return (
    <figure className="evaluate-hist">
      <figcaption>{title}</figcaption>
      {bins.length === 0 ? (
        <p className="evaluate-empty">no scores</p>
      ) : (
        <BarChart width={430} height={210} data={bins} barGap={0} barCategoryGap={1} margin={{ top: 4, right: 8, left: 0, bottom: 4 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" interval="preserveStartEnd" minTickGap={24} tick={{ fontSize: 11 }} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          <Tooltip labelFormatter={(_, p) => (p?.[0] ? `${(p[0].payload as HistogramBin).x0.toFixed(3)} – ${(p[0].payload as HistogramBin).x1.toFixed(3)}` : '')} />
          <Legend wrapperStyle={{ fontSize: 12 }} {...legendProps} />
          <Bar dataKey="positives" fill={POS_COLOR} isAnimationActive={false} />
          <Bar dataKey="negatives" name="chosen negatives" fill={NEG_COLOR} isAnimationActive={false} />
        </BarChart>
      )}
    </figure>
  );
}
