// The Review workbench: `#/p/<projectId>/review/<runId>`. Without a run id it lists the
// project's runs to pick from.
import { useLiveQuery } from 'dexie-react-hooks';
import { getDB } from '../../../db/db';
import { Workbench } from './Workbench';
import './review.css';


export function ReviewPage(props: { projectId: string; runId?: string; queryId?: string }) {
  if (!props.runId) return <RunPicker projectId={props.projectId} />;
  return <Workbench key={`${props.projectId}/${props.runId}`} projectId={props.projectId} runId={props.runId} queryId={props.queryId} />;
}

function RunPicker({ projectId }: { projectId: string }) {
  const runs = useLiveQuery(() => getDB().runs.where('projectId').equals(projectId).toArray(), [projectId]);
  if (!runs) return <section data-page="review" className="rv-empty" aria-busy="true" />;
  const sorted = [...runs].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <section data-page="review" className="rv-empty">
      <h2>Review</h2>
      {sorted.length === 0 ? (
        <p>
          No mining runs in this project yet. Start one on the <a href={`#/p/${encodeURIComponent(projectId)}/mine`}>Mine</a> page.
        </p>
      ) : (
        <ul className="rv-runlist">
          {sorted.map((r) => (
            <li key={r.id}>
              <a href={`#/p/${encodeURIComponent(projectId)}/review/${encodeURIComponent(r.id)}`}>{r.name}</a>{' '}
              <span className="rv-muted">
                {new Date(r.createdAt).toLocaleString()} · {r.status}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
