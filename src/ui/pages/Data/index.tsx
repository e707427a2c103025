// Data page: import files, see what the project holds, browse documents and queries.
import { fmtInt } from '../../components/format';
import { useAsync } from '../../components/useAsync';
import { getDB } from '../../../db/db';
import { corpusCounts } from '../../../db/corpus';
import { useDataVersion } from '../../../state/imports';
import { CorpusBrowser } from './CorpusBrowser';
import { ImportPanel } from './ImportPanel';
import { ReportView } from './ReportView';

export function DataPage(props: { projectId: string; runId?: string }) {
  const { projectId } = props;
  const version = useDataVersion(projectId);
  const counts = useAsync(() => corpusCounts(getDB(), projectId), [projectId, version]);
  const c = counts.value;
  const splits = c ? Object.entries(c.splits).sort(([a], [b]) => a.localeCompare(b)) : [];
  return (
    <section className="page data-page" data-page="data">
      <div className="data-side">
        <div className="card counts" data-testid="counts">
          <h2>Contents</h2>
          <dl className="stats">
            <div>
              <dt>Documents</dt>
              <dd data-testid="count-documents">{c ? fmtInt(c.documents) : '…'}</dd>
            </div>
            <div>
              <dt>Queries</dt>
              <dd data-testid="count-queries">{c ? fmtInt(c.queries) : '…'}</dd>
            </div>
            <div>
              <dt>Judgements</dt>
              <dd data-testid="count-qrels">{c ? fmtInt(c.qrels) : '…'}</dd>
            </div>
          </dl>
          {splits.length > 0 && (
            <table className="table compact">
              <thead>
                <tr>
                  <th>Split</th>
                  <th className="num">Queries judged</th>
                  <th className="num">Positives</th>
                </tr>
              </thead>
              <tbody>
                {splits.map(([name, s]) => (
                  <tr key={name} data-testid={`split-${name}`}>
                    <td>{name}</td>
                    <td className="num">{fmtInt(s.queries)}</td>
                    <td className="num">{fmtInt(s.positives)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <ImportPanel projectId={projectId} />
        <ReportView projectId={projectId} />
      </div>
      <CorpusBrowser projectId={projectId} version={version} counts={c} />
    </section>
  );
}
