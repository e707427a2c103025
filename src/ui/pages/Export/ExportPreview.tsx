// "What will be written": before the click, per format, the queries and rows the files will
// hold and why the other queries are left out, with one-click fixes for the selected format.
// Counts come from src/db/export-preview.ts (the export's own assembly and row builders).
import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { QuarryDB } from '../../../db/db';
import type { ExportRequest } from '../../../db/exports';
import { exportFixes, previewExports, type ExportFix, type FormatPreview } from '../../../db/export-preview';
import { EXPORT_FORMATS, type ExportFormat } from '../../../core/formats/export/index.ts';
import { plural } from '../../components/format';
import { FORMAT_INFO } from './formats';

export interface ExportPreviewState {
  byFormat: Map<ExportFormat, FormatPreview>;
  /** Formats that cannot be exported with these options, and why. */
  problems: Map<ExportFormat, string>;
  fixes: ExportFix[];
  loading: boolean;
  error?: string;
}

/** Recomputes the preview when the options or the project's decisions change. */
export function useExportPreview(
  db: QuarryDB,
  projectId: string,
  requestFor: (f: ExportFormat) => { req?: ExportRequest; problem?: string },
  format: ExportFormat,
): ExportPreviewState {
  // Any new, changed or undone decision changes what is written.
  const decisions = useLiveQuery(
    async () => (await db.decisions.where('projectId').equals(projectId).toArray()).map((d) => `${d.queryId}|${d.docId}|${d.reviewer}|${d.label}`).join(),
    [projectId],
  );
  const [state, setState] = useState<ExportPreviewState>({ byFormat: new Map(), problems: new Map(), fixes: [], loading: true });
  const asked = EXPORT_FORMATS.map((f) => [f, requestFor(f)] as const);
  const key = JSON.stringify([asked, format, decisions]);
  useEffect(() => {
    let stale = false;
    setState((s) => ({ ...s, loading: true }));
    const t = setTimeout(async () => {
      try {
        const problems = new Map<ExportFormat, string>();
        const reqs: ExportRequest[] = [];
        for (const [f, r] of asked) {
          if (r.req) reqs.push(r.req);
          else problems.set(f, r.problem ?? 'not possible with these options');
        }
        const previews = await previewExports(db, reqs);
        const byFormat = new Map(previews.map((p) => [p.format, p]));
        const selectedReq = reqs.find((r) => r.format === format);
        const selected = byFormat.get(format);
        const fixes = selectedReq && selected ? await exportFixes(db, selectedReq, selected) : [];
        if (!stale) setState({ byFormat, problems, fixes, loading: false });
      } catch (e) {
        if (!stale) setState({ byFormat: new Map(), problems: new Map(), fixes: [], loading: false, error: e instanceof Error ? e.message : String(e) });
      }
    }, 200);
    return () => {
      stale = true;
      clearTimeout(t);
    };
    // `key` holds every input (requests, format, decisions).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, db]);
  return state;
}

function leftOut(p: FormatPreview): string {
  const parts: string[] = [];
  if (p.left.noPositive) parts.push(`${p.left.noPositive} no positive`);
  if (p.left.noNegative) parts.push(`${p.left.noNegative} no negative`);
  if (p.left.tooFew) parts.push(`${p.left.tooFew} too few negatives`);
  return parts.length ? parts.join(', ') : 'none';
}

export function ExportPreviewTable(props: {
  preview: ExportPreviewState;
  format: ExportFormat;
  onFix(fix: ExportFix): void;
  onFormat(f: ExportFormat): void;
}) {
  const { preview, format } = props;
  const selected = preview.byFormat.get(format);
  const emptyFiles = selected?.files.filter((f) => f.rows === 0 && selected.rows > 0) ?? [];
  return (
    <section className="export-what" data-testid="export-preview" aria-busy={preview.loading} aria-label="What will be written">
      <h3>What will be written</h3>
      {preview.error && <p className="export-error">Preview failed: {preview.error}</p>}
      <table>
        <thead>
          <tr>
            <th>format</th>
            <th>queries</th>
            <th>rows</th>
            <th>queries left out</th>
          </tr>
        </thead>
        <tbody>
          {EXPORT_FORMATS.map((f) => {
            const p = preview.byFormat.get(f);
            const problem = preview.problems.get(f);
            return (
              <tr key={f} data-format={f} className={f === format ? 'selected' : undefined} aria-selected={f === format}>
                <th>
                  <button type="button" className="export-link" onClick={() => props.onFormat(f)}>
                    {FORMAT_INFO[f].label}
                  </button>
                </th>
                {p ? (
                  <>
                    <td data-testid={`preview-queries-${f}`}>
                      {p.queries} of {p.candidates}
                    </td>
                    <td data-testid={`preview-rows-${f}`} className={p.rows === 0 ? 'export-zero' : undefined}>
                      {p.rows}
                    </td>
                    <td data-testid={`preview-left-${f}`}>{leftOut(p)}</td>
                  </>
                ) : (
                  <td colSpan={3} className="export-muted">
                    {problem ?? '…'}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      {emptyFiles.map((f) => (
        <p key={f.name} className="export-error" data-testid="export-empty-file">
          {f.name} will be empty (0 rows): too few queries for the dev share; lower it or accept an empty {f.name} file.
        </p>
      ))}
      {preview.fixes.length > 0 && selected && (
        <div className="export-fixes">
          {preview.fixes.map((fix) => (
            <button key={fix.kind} type="button" onClick={() => props.onFix(fix)} data-testid={`export-fix-${fix.kind}`}>
              {fix.label}: {plural(fix.after.queries, 'query', 'queries')}, {plural(fix.after.rows, 'row')} (now {selected.queries}, {selected.rows})
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
