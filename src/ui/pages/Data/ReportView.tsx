// Import reports: every bad line with file, line and reason, newest import first.
import { useState } from 'react';
import { fmtDate, fmtInt, fmtMs } from '../../components/format';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDB } from '../../../db/db';
import { listImportReports } from '../../../db/imports';
import type { ImportReportRecord } from '../../../db/schema';

const SHOWN = 200;

export function ReportView(props: { projectId: string }) {
  // Live: a report saved by this tab's import worker, another tab or recovery shows at once.
  const reports = useLiveQuery(() => listImportReports(getDB(), props.projectId), [props.projectId]);
  const list = reports ?? [];
  if (list.length === 0) return null;
  return (
    <div className="card reports" data-testid="import-reports">
      <h2>Import reports</h2>
      {list.slice(0, 10).map((r, i) => (
        <Report key={r.id} report={r} open={i === 0} />
      ))}
    </div>
  );
}

function Report({ report: r, open }: { report: ImportReportRecord; open: boolean }) {
  const [all, setAll] = useState(false);
  const issues = all ? r.issues : r.issues.slice(0, SHOWN);
  const total = r.issues.length + (r.moreIssues ?? 0);
  const counts = Object.entries(r.counts).map(([k, v]) => `${fmtInt(v)} ${k}`).join(', ');
  return (
    <details className="report" open={open} data-testid="import-report" data-status={r.status}>
      <summary>
        <span className={`badge status-${r.status}`}>{r.status}</span> <span className="ellipsis">{r.files.join(', ')}</span>{' '}
        <span className="muted small">
          {fmtDate(r.at)}
          {r.ms !== undefined && ` · ${fmtMs(r.ms)}`}
        </span>
      </summary>
      <div className="small">
        {counts && <p>Stored: {counts}.</p>}
        {r.error && <p className="error-text">Error: {r.error}</p>}
        {total === 0 ? (
          <p className="muted">No problems found.</p>
        ) : (
          <>
            <p>
              {fmtInt(total)} problem{total === 1 ? '' : 's'}; {r.status === 'done' ? 'those lines were skipped, every other row was kept.' : 'nothing of this import was kept.'}
            </p>
            <table className="table compact issues" data-testid="issues">
              <thead>
                <tr>
                  <th>File</th>
                  <th className="num">Line</th>
                  <th>Problem</th>
                </tr>
              </thead>
              <tbody>
                {issues.map((x, i) => (
                  <tr key={i}>
                    <td className="mono">{x.file}</td>
                    <td className="num mono">{x.line || '—'}</td>
                    <td>{x.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {!all && r.issues.length > SHOWN && (
              <button type="button" className="link" onClick={() => setAll(true)}>
                Show all {fmtInt(r.issues.length)}
              </button>
            )}
            {r.moreIssues ? <p className="muted">…and {fmtInt(r.moreIssues)} more not stored.</p> : null}
          </>
        )}
      </div>
    </details>
  );
}
