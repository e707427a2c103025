// Runs side by side: every run of the project against the one picked on the page — its
// settings (members, fusion, strategy, chunking), ensemble metrics, how many negatives it
// proposes, how far its negatives overlap with the picked run's (Jaccard per query), and the
// estimated false-negative share of its unreviewed candidates. Comparing runs that differ only
// in chunking (e.g. tokens:128:32 vs tokens:256:64 on a sample) is how a user picks a granularity.
import { useEffect, useMemo, useState } from 'react';
import type { QuarryDB } from '../../../db/db';
import type { resolveDecisions } from '../../../core/export';
import type { ReviewModelReport } from '../../../core/learn';
import { negativeOverlap } from '../../../core/review/compare';
import { reviewModelOf } from '../../../db/learn';
import type { CandidateRecord, RunRecord } from '../../../db/schema';

/** What a run's row shows beyond its own record: computed when the runs or the decisions change. */
interface RunStats {
  candidates: number;
  queries: number;
  jaccard: number;
  identical: number;
  shared: number;
  model?: string;
  audit?: string;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The other runs' candidates, read when the runs change (not when a decision does). */
async function loadOthers(db: QuarryDB, picked: string, runs: RunRecord[]): Promise<Map<string, CandidateRecord[]>> {
  const out = new Map<string, CandidateRecord[]>();
  for (const run of runs) if (run.id !== picked) out.set(run.id, await db.candidates.where('runId').equals(run.id).toArray());
  return out;
}

function statsOf(base: readonly CandidateRecord[], cands: readonly CandidateRecord[], report: ReviewModelReport): RunStats {
  const o = negativeOverlap(base, cands);
  return {
    candidates: cands.length,
    queries: new Set(cands.map((c) => c.queryId)).size,
    jaccard: o.meanJaccard,
    identical: o.identical,
    shared: o.sharedQueries,
    model: report.modelEstimate ? `${pct(report.modelEstimate.estimate)} (${pct(report.modelEstimate.low)}–${pct(report.modelEstimate.high)})` : undefined,
    audit: report.audit.estimate ? `${pct(report.audit.estimate.estimate)} (${pct(report.audit.estimate.low)}–${pct(report.audit.estimate.high)}, n=${report.audit.audited})` : undefined,
  };
}

/**
 * `pickedCandidates`, `resolved` and `pickedReport` come from the Evaluate page, which read and
 * fitted them once for the picked run; only the other runs' candidates are read here.
 */
export function RunsCompare({
  db,
  picked,
  runs,
  pickedCandidates,
  resolved,
  pickedReport,
}: {
  db: QuarryDB;
  picked: RunRecord;
  runs: RunRecord[];
  pickedCandidates: readonly CandidateRecord[] | undefined;
  resolved: ReturnType<typeof resolveDecisions> | undefined;
  pickedReport: ReviewModelReport | undefined;
}) {
  const [others, setOthers] = useState<{ key: string; cands: Map<string, CandidateRecord[]> } | null>(null);
  const key = `${picked.id}#${runs.map((r) => `${r.id}:${r.status}`).join(',')}`;
  useEffect(() => {
    if (runs.length < 2) return;
    let alive = true;
    void loadOthers(db, picked.id, runs).then((cands) => alive && setOthers({ key, cands }));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, key]);
  // Keyed on the runs' ids and states, not on the live records (which change with every
  // progress update while a run mines): the other runs' models are refitted only when needed.
  const stats = useMemo(() => {
    if (!others || others.key !== key || !pickedCandidates || !resolved || !pickedReport) return null;
    const out = new Map<string, RunStats>([[picked.id, statsOf(pickedCandidates, pickedCandidates, pickedReport)]]);
    for (const run of runs) {
      const cands = others.cands.get(run.id);
      if (cands) out.set(run.id, statsOf(pickedCandidates, cands, reviewModelOf(run, cands, resolved)));
    }
    return out;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [others, key, pickedCandidates, resolved, pickedReport]);
  const rows = stats && runs.flatMap((run) => (stats.has(run.id) ? [{ run, ...stats.get(run.id)! }] : []));
  if (runs.length < 2) return <p className="evaluate-empty">Only one run so far: mine again with other settings (members, strategy, chunk size) to compare runs here.</p>;
  if (!rows) return <p className="evaluate-empty">Comparing runs…</p>;
  return (
    <table className="evaluate-metrics evaluate-compare" data-testid="runs-compare">
      <thead>
        <tr>
          <th>run</th>
          <th>members · fusion</th>
          <th>strategy</th>
          <th>chunking</th>
          <th>ensemble ndcg@10</th>
          <th>negatives / queries</th>
          <th>overlap with picked (mean Jaccard)</th>
          <th>est. false negatives, model</th>
          <th>audit</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.run.id} className={r.run.id === picked.id ? 'is-ensemble' : undefined} data-run={r.run.id}>
            <th scope="row">{r.run.name}</th>
            <td>
              {r.run.config.members.map((m) => (m.weight === 1 ? m.name : `${m.name}×${m.weight}`)).join(' + ')} · {r.run.config.fusion}
            </td>
            <td>{r.run.config.strategy}</td>
            <td>{r.run.config.chunk}</td>
            <td>{(r.run.metrics?.ensemble ?? r.run.metrics?.[r.run.config.members[0]?.name ?? ''])?.['ndcg@10']?.toFixed(3) ?? '—'}</td>
            <td>
              {r.candidates} / {r.queries}
            </td>
            <td data-testid="compare-jaccard">
              {Number.isNaN(r.jaccard) ? '—' : `${r.jaccard.toFixed(3)} (${r.identical} of ${r.shared} queries identical)`}
            </td>
            <td>{r.model ?? '—'}</td>
            <td>{r.audit ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
