// Review while the run is still being mined: candidates are stored before the cross-encoder
// has scored them, so say that their scores and false-negative flags are still coming (the
// list updates as each batch lands, see useReview), or that they will not come by themselves.
import type { RunRecord } from '../../../db/schema';
import { plural } from '../../components/format';

export function ScoresPending({ run, currentScored }: { run: RunRecord; currentScored: boolean | undefined }) {
  if (!run.config.reranker) return null;
  const st = run.stages.rerank;
  if (st?.status === 'done' || run.status === 'done') return null;
  const mining = run.status === 'running' || run.status === 'pending';
  const progress = st?.total ? ` (${plural(st.done, 'query', 'queries')} of ${st.total.toLocaleString()} scored so far)` : ' (the cross-encoder has not started yet)';
  return (
    <div role="status" className="rv-pending" data-testid="review-scores-pending">
      {mining ? (
        <>
          Mining is still running: cross-encoder scores and suspected-false-negative flags are still coming{progress}.{' '}
          {currentScored === false && <strong>This query is not scored yet. </strong>}
          The candidates update here as they arrive.
        </>
      ) : (
        <>
          The run stopped ({run.status}) before the cross-encoder scored every query{progress}: candidates without a score have no
          false-negative flag. <a href={`#/p/${encodeURIComponent(run.projectId)}/mine/${encodeURIComponent(run.id)}`}>Resume it on Mine</a>.
        </>
      )}
    </div>
  );
}
