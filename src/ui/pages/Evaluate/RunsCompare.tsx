// Runs side by side: every run of the project against the one picked on the page — its
// settings (members, fusion, strategy, chunking), ensemble metrics, how many negatives it
// proposes, how far its negatives overlap with the picked run's (Jaccard per query), and the
// estimated false-negative share of its unreviewed candidates. Comparing runs that differ only
// in chunking (e.g. tokens:128:32 vs tokens:256:64 on a sample) is how a user picks a granularity.
import { useEffect, useState } from 'react';
import type { QuarryDB } from '../../../db/db';
import { resolveDecisions } from '../../../core/export';
import { negativeOverlap } from '../../../core/review/compare';
import { reviewModelOf } from '../../../db/learn';
import type { RunRecord } from '../../../db/schema';

interface RunRow {
  run: RunRecord;
  candidates: number;
  queries: number;
  jaccard: number;
  identical: number;
  shared: number;
  model?: string;
  audit?: string;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

async function loadRows(db: QuarryDB, picked: RunRecord, runs: RunRecord[]): Promise<RunRow[]> {
  const decisions = await db.decisions.where('projectId').equals(picked.projectId).toArray();
  const resolved = resolveDecisions(decisions);
  const base = await db.candidates.where('runId').equals(picked.id).toArray();
  const rows: RunRow[] = [];
  for (const run of runs) {
    const cands = run.id === picked.id ? base : await db.candidates.where('runId').equals(run.id).toArray();
    const o = negativeOverlap(base, cands);
    const report = reviewModelOf(run, cands, resolved);
    rows.push({
      run,
      candidates: cands.length,
      queries: new Set(cands.map((c) => c.queryId)).size,
      jaccard: o.meanJaccard,
      identical: o.identical,
      shared: o.sharedQueries,
      model: report.modelEstimate ? `${pct(report.modelEstimate.estimate)} (${pct(report.modelEstimate.low)}–${pct(report.modelEstimate.high)})` : undefined,
      audit: report.audit.estimate ? `${pct(report.audit.estimate.estimate)} (${pct(report.audit.estimate.low)}–${pct(report.audit.estimate.high)}, n=${report.audit.audited})` : undefined,
    });
  }
  return rows;
}

export function RunsCompare({ db, picked, runs, stamp }: { db: QuarryDB; picked: RunRecord; runs: RunRecord[]; stamp: unknown }) {
  const [rows, setRows] = useState<RunRow[] | null>(null);
  useEffect(() => {
    let alive = true;
    void loadRows(db, picked, runs).then((r) => alive && setRows(r));
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [db, picked.id, runs.map((r) => `${r.id}:${r.status}`).join(','), stamp]);
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
