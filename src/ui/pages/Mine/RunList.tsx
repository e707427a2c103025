// The project's runs, newest first, with their config, status, candidate count and links
// to Review.
import { useLiveQuery } from 'dexie-react-hooks';
import { getDB } from '../../../db/db';
import { countCandidates } from '../../../db/runs';
import type { RunRecord } from '../../../db/schema';
import { describeConfig } from '../../../workers/mine/config';

function CandidateCount({ runId }: { runId: string }) {
  const n = useLiveQuery(() => countCandidates(getDB(), runId), [runId]);
  return <>{n === undefined ? '' : n.toLocaleString()}</>;
}

export function RunList(props: { projectId: string; runs: RunRecord[]; selected?: string; onDelete(id: string): void }) {
  const { projectId, runs } = props;
  if (!runs.length) return <p className="mine-empty">No runs yet. Choose members and start one.</p>;
  return (
    <table className="mine-runs" data-testid="run-list">
      <thead>
        <tr>
          <th scope="col">Run</th>
          <th scope="col">Status</th>
          <th scope="col">Candidates</th>
          <th scope="col">Configuration</th>
          <th scope="col" />
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id} data-run={r.id} aria-selected={r.id === props.selected}>
            <td>
              <a href={`#/p/${encodeURIComponent(projectId)}/mine/${encodeURIComponent(r.id)}`}>{r.name}</a>
              <div className="mine-muted">{new Date(r.createdAt).toLocaleString()}</div>
            </td>
            <td>
              <span className={`mine-status mine-status-${r.status}`}>{r.status}</span>
            </td>
            <td className="mine-num">
              <CandidateCount runId={r.id} />
            </td>
            <td className="mine-muted">{describeConfig(r.config)}</td>
            <td className="mine-actions">
              <a className="mine-review-link" href={`#/p/${encodeURIComponent(projectId)}/review/${encodeURIComponent(r.id)}`}>
                Review
              </a>
              {r.status !== 'running' && (
                <button type="button" className="mine-link-button" onClick={() => props.onDelete(r.id)}>
                  Delete
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
