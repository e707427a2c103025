// Import panel: pick or drop files (BEIR parts or a folder, or one training file),
// map columns for pairs files, watch progress, cancel.
import { useRef, useState } from 'react';
import { ProgressBar } from '../../components/ProgressBar';
import { fmtInt, fmtMs, plural } from '../../components/format';
import { useImportStore } from '../../../state/imports';
import { classifyFiles, trainingFormat } from '../../../workers/import/classify';
import { droppedFiles, namedFiles } from '../../../workers/import/client';
import { mappingProblem, readColumns, type FileColumns } from '../../../workers/import/header';
import type { TrainingFileFormat } from '../../../workers/import/types';
import type { NamedFile } from '../../../workers/import/types';

interface Pending {
  file: NamedFile;
  format: TrainingFileFormat;
  columns: FileColumns;
  queryColumn: string;
  positiveColumn: string;
  split: string;
}

export function ImportPanel(props: { projectId: string }) {
  const { projectId } = props;
  const job = useImportStore((s) => s.jobs[projectId]);
  const start = useImportStore((s) => s.start);
  const dismiss = useImportStore((s) => s.dismiss);
  const [over, setOver] = useState(false);
  const [pending, setPending] = useState<Pending>();
  const [error, setError] = useState<string>();
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const running = !!job?.running;

  const accept = async (files: NamedFile[]) => {
    setError(undefined);
    setPending(undefined);
    if (files.length === 0) return;
    try {
      const beir = await classifyFiles(files);
      const isBeir = !!beir.corpus || !!beir.queries || Object.keys(beir.qrels).length > 0;
      if (isBeir) {
        await start(projectId, { kind: 'beir', files }, files.map((f) => f.path).join(', '));
        return;
      }
      if (files.length > 1) {
        setError('Pick one training file at a time (pairs CSV/TSV/JSONL, FlagEmbedding or sentence-transformers JSONL), or the files of a BEIR dataset.');
        return;
      }
      const file = files[0];
      const format = trainingFormat(file.path);
      if (!format) {
        setError(`${file.path}: unknown file type. Expected .jsonl, .csv or .tsv (optionally .gz), or BEIR corpus.jsonl / queries.jsonl / qrels/<split>.tsv.`);
        return;
      }
      const columns = await readColumns(file.file, file.path, format);
      const problem = mappingProblem(file.path, columns);
      if (problem) {
        setError(problem);
        return;
      }
      if (columns.structured) {
        await start(projectId, { kind: 'training', file, format }, file.path);
        return;
      }
      setPending({
        file,
        format,
        columns,
        queryColumn: columns.detected?.query ?? columns.columns[0] ?? '',
        positiveColumn: columns.detected?.positive ?? columns.columns[1] ?? '',
        split: 'train',
      });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const startPending = async () => {
    if (!pending) return;
    const p = pending;
    setPending(undefined);
    await start(
      projectId,
      { kind: 'training', file: p.file, format: p.format, queryColumn: p.queryColumn, positiveColumn: p.positiveColumn, split: p.split },
      p.file.path,
    );
  };

  const pr = job?.progress;
  return (
    <div className="card import-panel" data-testid="import-panel">
      <h2>Import</h2>
      <div
        className={'dropzone' + (over ? ' over' : '') + (running ? ' disabled' : '')}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (!running) void droppedFiles(e.dataTransfer).then(accept);
        }}
      >
        <p>
          Drop a BEIR folder or files (<code>corpus.jsonl</code>, <code>queries.jsonl</code>, <code>qrels/*.tsv</code>,
          also <code>.gz</code>), or one training file (pairs CSV/TSV/JSONL, FlagEmbedding, sentence-transformers).
        </p>
        <div className="row">
          <button type="button" disabled={running} onClick={() => fileInput.current?.click()}>
            Choose files…
          </button>
          <button type="button" disabled={running} onClick={() => folderInput.current?.click()}>
            Choose folder…
          </button>
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          accept=".jsonl,.json,.tsv,.csv,.parquet,.gz"
          onChange={(e) => {
            const files = namedFiles(e.target.files ?? []);
            e.target.value = '';
            void accept(files);
          }}
        />
        <input
          ref={folderInput}
          type="file"
          hidden
          data-testid="folder-input"
          {...({ webkitdirectory: '' } as Record<string, string>)}
          onChange={(e) => {
            const files = namedFiles(e.target.files ?? []);
            e.target.value = '';
            void accept(files);
          }}
        />
      </div>

      {pending && (
        <div className="mapping" data-testid="column-mapping">
          <p>
            <strong>{pending.file.path}</strong>: which columns hold the query and its positive? Other{' '}
            <code>negative</code> / <code>negative_N</code> columns become candidates to review.
          </p>
          <div className="grid2">
            <label>
              Query column
              <select value={pending.queryColumn} onChange={(e) => setPending({ ...pending, queryColumn: e.target.value })}>
                {pending.columns.columns.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              Positive column
              <select value={pending.positiveColumn} onChange={(e) => setPending({ ...pending, positiveColumn: e.target.value })}>
                {pending.columns.columns.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              Store pairs as split
              <input value={pending.split} onChange={(e) => setPending({ ...pending, split: e.target.value })} />
            </label>
          </div>
          <div className="row">
            <button type="button" className="primary" disabled={!pending.queryColumn || !pending.positiveColumn || pending.queryColumn === pending.positiveColumn} onClick={() => void startPending()}>
              Import
            </button>
            <button type="button" onClick={() => setPending(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      )}

      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}

      {job && (
        <div
          className="import-status"
          data-testid="import-status"
          data-state={job.running ? 'running' : job.result?.status}
          data-ms={job.result?.ms}
          data-write-ms={job.result?.timings?.writeMs}
          data-wait-ms={job.result?.timings?.waitMs}
          data-rows={job.result ? Object.values(job.result.counts).reduce((a, b) => a + b, 0) : undefined}
        >
          <div className="row between">
            <span className="ellipsis" title={job.label}>
              {job.running ? (job.cancelling ? 'Cancelling…' : 'Importing ') : ''}
              {job.running && <span className="muted">{pr?.file || job.label}</span>}
              {!job.running && job.result && <ResultLine result={job.result} />}
            </span>
            {/* Keyed apart: React would otherwise turn the Cancel button into Dismiss in place, and
                a press that began on Cancel as the import ended would dismiss its result. */}
            {job.running ? (
              <button key="cancel" type="button" onClick={job.cancel} disabled={job.cancelling} data-testid="cancel-import">
                Cancel
              </button>
            ) : (
              <button key="dismiss" type="button" className="link" onClick={() => dismiss(projectId)}>
                Dismiss
              </button>
            )}
          </div>
          {job.running && (
            <>
              <ProgressBar value={pr?.bytesDone ?? 0} max={pr?.bytesTotal ?? 1} label="Import progress" />
              <div className="muted small">
                {fmtInt(pr?.rows ?? 0)} rows · {fmtInt(pr?.rowsPerSec ?? 0)} rows/s · {fmtMs(pr?.elapsedMs ?? 0)}
              </div>
            </>
          )}
        </div>
      )}
    </div>
  );
}

function ResultLine({ result }: { result: NonNullable<ReturnType<typeof useImportStore.getState>['jobs'][string]>['result'] }) {
  if (!result) return null;
  if (result.status === 'done') {
    const parts = Object.entries(result.counts).map(([k, v]) => `${fmtInt(v)} ${k}`);
    return (
      <span data-testid="import-result">
        Imported {parts.join(', ') || 'nothing'} in {fmtMs(result.ms)}
        {result.issueCount > 0 && <span className="warn-text"> · {fmtInt(result.issueCount)} bad lines skipped</span>}
      </span>
    );
  }
  const what = result.status === 'cancelled' ? 'Import cancelled' : 'Import failed';
  const reason = result.status === 'failed' ? `: ${result.error}` : '.';
  const s = result.stored;
  const holds = s ? ` The project holds ${plural(s.documents, 'document')}, ${plural(s.queries, 'query', 'queries')} and ${plural(s.qrels, 'qrel')}, as before.` : '';
  // Say "nothing was changed" only when the rollback really finished.
  if (result.rollback !== 'pending') {
    return (
      <span className={result.status === 'failed' ? 'error-text' : undefined} data-testid="import-result" data-rollback="done">
        {what}, nothing was changed{reason}{holds}
        {result.reportError && <> (The import report could not be saved: {result.reportError}.)</>}
      </span>
    );
  }
  return (
    <span className="error-text" data-testid="import-result" data-rollback="pending">
      {what}{reason} Its rows are hidden and not counted, but removing them could not finish ({result.rollbackError}); Quarry
      retries when it next starts or imports into this project.{holds}
    </span>
  );
}
