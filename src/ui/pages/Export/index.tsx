// Export: turn a reviewed run into a training set. The user picks a run, a format and what
// goes in (accepted only, or unreviewed too; random fill; train/dev split), and downloads
// ONE zip with the data files and a dataset card. Assembly and writing live in
// src/db/exports.ts and src/core/{export,formats} and run in a worker
// (src/workers/export); this page only collects options.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { getDB } from '../../../db/db';
import { listRuns } from '../../../db/runs';
import { isNtuple, type ExportRequest, type ExportResult } from '../../../db/exports';
import { buildExportInWorker } from '../../../workers/export/client';
import { rerankerScores, rerankerTokenIds } from '../../../workers/mine/browser-ports';
import { EXPORT_FORMATS, isFlagFormat, isSentenceTransformersFormat, takesIncludeScores, takesPositivesEach, type ExportFormat } from '../../../core/formats/export/index.ts';
import { FORMAT_INFO } from './formats';
import { useActivityStore } from '../../../state/activity';
import { projectPath } from '../../shell/router';
import { plural } from '../../components/format';
import { ExportPreviewTable, useExportPreview } from './ExportPreview';
import type { ExportFix } from '../../../db/export-preview';
import './export.css';


type CsvShape = NonNullable<ExportRequest['csvShape']>;

function download(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ExportPage(props: { projectId: string; runId?: string }) {
  const db = getDB();
  const runs = useLiveQuery(() => listRuns(db, props.projectId), [props.projectId]);
  const reviewers = useLiveQuery(
    async () => [...new Set((await db.decisions.where('projectId').equals(props.projectId).toArray()).map((d) => d.reviewer))].sort(),
    [props.projectId],
  );
  const [runId, setRunId] = useState<string | undefined>(props.runId);
  useEffect(() => setRunId(props.runId), [props.runId]);
  const run = runs?.find((r) => r.id === runId) ?? runs?.find((r) => r.status === 'done') ?? runs?.[0];

  const [format, setFormat] = useState<ExportFormat>('st-triplet');
  const [includeUnreviewed, setIncludeUnreviewed] = useState(false);
  const [usePredictions, setUsePredictions] = useState(true);
  const [fillRandom, setFillRandom] = useState(false);
  const [negativesPerRow, setNegativesPerRow] = useState<string>('');
  const [lceGroupSize, setLceGroupSize] = useState('8');
  const [devPercent, setDevPercent] = useState('10');
  const [seed, setSeed] = useState('42');
  const [withIds, setWithIds] = useState(false);
  const [prompt, setPrompt] = useState('');
  const [reviewer, setReviewer] = useState('');
  const [csvShape, setCsvShape] = useState<CsvShape>('triplet');
  const [positivesEach, setPositivesEach] = useState(false);
  const [includeScores, setIncludeScores] = useState(false);
  const [license, setLicense] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const lce = format === 'lce' || format === 'lce-text';

  // The request for a format with the page's options: the selected format is exported, every
  // format is previewed (what each would write).
  const requestFor = useCallback(
    (f: ExportFormat): { req?: ExportRequest; problem?: string } => {
      if (!run) return { problem: 'no run' };
      const isLce = f === 'lce' || f === 'lce-text';
      // n-tuples need a fixed width: default to the run's negatives per query.
      const needsWidth = isNtuple(f) || (f === 'csv' && csvShape === 'ntuple');
      const widthText = negativesPerRow || (needsWidth ? String(run.config.negatives) : '');
      const dev = Number(devPercent);
      if (!(dev >= 0 && dev < 100)) return { problem: 'dev share must be between 0 and 99 %' };
      const s = Number(seed);
      if (!Number.isInteger(s)) return { problem: 'seed must be a whole number' };
      let width: number | undefined;
      if (widthText.trim() !== '') {
        width = Number(widthText);
        if (!(Number.isInteger(width) && width >= 1)) return { problem: 'negatives per row must be a whole number ≥ 1' };
      }
      const g = Number(lceGroupSize);
      if (isLce && !(Number.isInteger(g) && g >= 2)) return { problem: 'group size must be a whole number ≥ 2' };
      if (f === 'lce' && !run.config.reranker) return { problem: 'this run used no reranker, whose tokenizer LCE token ids need: choose LCE groups as text' };
      if (fillRandom && !isLce && width === undefined) return { problem: 'random fill needs a number of negatives per row' };
      return {
        req: {
          runId: run.id,
          format: f,
          includeUnreviewed,
          usePredictions: includeUnreviewed && usePredictions && run.learnThreshold !== undefined,
          fillRandom,
          negativesPerRow: isLce ? undefined : width,
          lceGroupSize: isLce ? g : undefined,
          devFraction: dev / 100,
          seed: s,
          withIds,
          prompt: isFlagFormat(f) && prompt.trim() ? prompt : undefined,
          reviewer: reviewer || undefined,
          csvShape: f === 'csv' ? csvShape : undefined,
          positives: positivesEach && takesPositivesEach(f, csvShape) ? 'each' : undefined,
          includeScores: includeScores && takesIncludeScores(f, csvShape) ? true : undefined,
          license: license.trim() || undefined,
        },
      };
    },
    [run, includeUnreviewed, usePredictions, fillRandom, negativesPerRow, lceGroupSize, devPercent, seed, withIds, prompt, reviewer, csvShape, positivesEach, includeScores, license],
  );
  const request = useMemo(() => requestFor(format), [requestFor, format]);
  const widthText = request.req?.negativesPerRow !== undefined ? String(request.req.negativesPerRow) : negativesPerRow;
  const preview = useExportPreview(db, props.projectId, requestFor, format);

  const applyFix = (fix: ExportFix) => {
    if (fix.patch.includeUnreviewed !== undefined) setIncludeUnreviewed(fix.patch.includeUnreviewed);
    if (fix.patch.negativesPerRow !== undefined) setNegativesPerRow(String(fix.patch.negativesPerRow));
    if (fix.patch.lceGroupSize !== undefined) setLceGroupSize(String(fix.patch.lceGroupSize));
  };
  const selected = preview.byFormat.get(format);
  const empty = selected !== undefined && selected.rows === 0;

  async function onExport() {
    if (!request.req) return;
    setBusy(true);
    setError(null);
    try {
      const req = { ...request.req, createdAt: new Date().toISOString() };
      const res = await useActivityStore.getState().track(
        { kind: 'export', projectId: props.projectId, label: `Export · ${FORMAT_INFO[req.format].label}`, href: projectPath(props.projectId, 'export', req.runId) },
        () => buildExportInWorker(req, { tokenIds: rerankerTokenIds, score: rerankerScores }),
      );
      setResult(res);
      download(res.zip, res.fileName);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  }

  if (runs === undefined) return <section data-page="export" className="export">Loading…</section>;
  if (!run) {
    return (
      <section data-page="export" className="export">
        <h2>Export</h2>
        <p className="export-muted">No mining run in this project yet: mine candidates first, review them, then export.</p>
      </section>
    );
  }
  return (
    <section data-page="export" className="export">
      <h2>Export</h2>
      <div className="export-layout">
        <form
          className="export-form"
          onSubmit={(e) => {
            e.preventDefault();
            void onExport();
          }}
        >
          <label className="export-field">
            <span>Run</span>
            <select value={run.id} onChange={(e) => setRunId(e.target.value)} data-testid="export-run">
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} · {r.status}
                </option>
              ))}
            </select>
          </label>
          <label className="export-field">
            <span>Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
              {EXPORT_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {FORMAT_INFO[f].label}
                </option>
              ))}
            </select>
          </label>
          <p className="export-help">{FORMAT_INFO[format].help}</p>
          {format === 'csv' && (
            <label className="export-field">
              <span>CSV rows</span>
              <select value={csvShape} onChange={(e) => setCsvShape(e.target.value as CsvShape)} data-testid="export-csv-shape">
                <option value="triplet">triplets</option>
                <option value="ntuple">n-tuples</option>
                <option value="labeled-pair">labeled pairs</option>
              </select>
            </label>
          )}

          <fieldset>
            <legend>Negatives</legend>
            <label className="export-check">
              <input type="checkbox" checked disabled /> accepted in review
            </label>
            <label className="export-check">
              <input type="checkbox" checked={includeUnreviewed} onChange={(e) => setIncludeUnreviewed(e.target.checked)} data-testid="export-unreviewed" />{' '}
              unreviewed candidates too (except those the cross-encoder flagged)
            </label>
            {includeUnreviewed && run?.learnThreshold !== undefined && (
              <label className="export-check">
                <input type="checkbox" checked={usePredictions} onChange={(e) => setUsePredictions(e.target.checked)} data-testid="export-predictions" /> leave
                out unreviewed candidates predicted to be false negatives (probability above {run.learnThreshold}, set on Evaluate)
              </label>
            )}
            <label className="export-check">
              <input type="checkbox" checked={fillRandom} onChange={(e) => setFillRandom(e.target.checked)} data-testid="export-random" /> fill up with random
              documents
            </label>
            {lce ? (
              <label className="export-field">
                <span>Group size</span>
                <input type="number" min={2} value={lceGroupSize} onChange={(e) => setLceGroupSize(e.target.value)} data-testid="export-group-size" />
                <small>1 positive + {Math.max(1, Number(lceGroupSize) - 1 || 1)} negatives</small>
              </label>
            ) : (
              <label className="export-field">
                <span>Negatives per row</span>
                <input
                  type="number"
                  min={1}
                  placeholder="all"
                  value={widthText}
                  onChange={(e) => setNegativesPerRow(e.target.value)}
                  data-testid="export-width"
                />
              </label>
            )}
            <p className="export-help">Rejected candidates never appear; promoted ones are exported as positives.</p>
          </fieldset>

          <fieldset>
            <legend>Split and rows</legend>
            <label className="export-field">
              <span>Dev share (%)</span>
              <input type="number" min={0} max={99} value={devPercent} onChange={(e) => setDevPercent(e.target.value)} data-testid="export-dev" />
              <small>by query: no query in both files</small>
            </label>
            <label className="export-field">
              <span>Seed</span>
              <input type="number" value={seed} onChange={(e) => setSeed(e.target.value)} data-testid="export-seed" />
            </label>
            <label className="export-field">
              <span>Decisions of</span>
              <select value={reviewer} onChange={(e) => setReviewer(e.target.value)} data-testid="export-reviewer">
                <option value="">all reviewers (positive &gt; reject &gt; accept)</option>
                {(reviewers ?? []).map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            {!lce && (
              <label className="export-check">
                <input type="checkbox" checked={withIds} onChange={(e) => setWithIds(e.target.checked)} data-testid="export-ids" /> add query_id, positive_id,
                negative_ids
                {isSentenceTransformersFormat(format) && <small> (in train.ids.jsonl, line for line: sentence-transformers would tokenise id columns)</small>}
              </label>
            )}
            {takesPositivesEach(format, csvShape) && (
              <label className="export-check">
                <input type="checkbox" checked={positivesEach} onChange={(e) => setPositivesEach(e.target.checked)} data-testid="export-positives-each" /> one row
                per (query, positive) for every judged positive, as mine_hard_negatives writes (otherwise the first positive and promoted ones)
              </label>
            )}
            {takesIncludeScores(format, csvShape) && (
              <label className="export-check">
                <input type="checkbox" checked={includeScores} onChange={(e) => setIncludeScores(e.target.checked)} data-testid="export-include-scores" />{' '}
                include_scores: {format === 'st-labeled-list' ? 'scores' : format === 'st-triplet' || csvShape === 'triplet' ? 'positive_score, negative_score' : 'score'} columns
                (cross-encoder logits, else retrieval scores)
                <small> for inspection: drop them before training, the sentence-transformers collator would read them</small>
              </label>
            )}
            <label className="export-field">
              <span>License (dataset card)</span>
              <input type="text" value={license} placeholder="other" onChange={(e) => setLicense(e.target.value)} data-testid="export-license" />
              <small>Hub license id of the source data, e.g. mit, cc-by-4.0</small>
            </label>
            {isFlagFormat(format) && (
              <label className="export-field">
                <span>{format === 'flag' ? 'Prompt' : 'Query prompt'}</span>
                <input type="text" value={prompt} placeholder="optional instruction" onChange={(e) => setPrompt(e.target.value)} data-testid="export-prompt" />
              </label>
            )}
          </fieldset>

          {request.problem && <p className="export-error">{request.problem}</p>}
          {error && <p className="export-error" role="alert">Export failed: {error}</p>}
          {empty && (
            <p className="export-error" role="alert" data-testid="export-empty">
              Nothing to write in this format: every file would be empty. Use a fix below, or export the empty zip knowingly.
            </p>
          )}
          <button type="submit" className="export-button" disabled={!request.req || busy} data-testid="export-button">
            {busy ? 'Exporting…' : empty ? 'Export empty zip (0 rows)' : 'Export zip'}
          </button>
          <ExportPreviewTable preview={preview} format={format} onFix={applyFix} onFormat={setFormat} />
        </form>
        {result && <ExportSummary result={result} />}
      </div>
    </section>
  );
}

function ExportSummary({ result }: { result: ExportResult }) {
  const c = result.counts;
  const preview = result.files.find((f) => f.name.startsWith('train.') && !f.name.endsWith('.parquet'));
  const firstRow = preview ? new TextDecoder().decode(preview.data.subarray(0, 4000)).split(/\r?\n/).slice(0, preview.name.endsWith('.csv') ? 2 : 1).join('\n') : '';
  return (
    <aside className="export-summary" data-testid="export-summary">
      <h3>{result.fileName}</h3>
      <table>
        <tbody>
          {result.files.map((f) => (
            <tr key={f.name}>
              <th>{f.name}</th>
              <td data-testid={`export-rows-${f.name}`}>{f.name === 'README.md' ? 'dataset card' : plural(f.rows, 'row')}</td>
            </tr>
          ))}
          <tr>
            <th>queries (train / dev)</th>
            <td>
              {result.split.train} / {result.split.dev}
            </td>
          </tr>
          <tr>
            <th>negatives: accepted</th>
            <td data-testid="export-count-accepted">{c.negatives.accepted}</td>
          </tr>
          <tr>
            <th>negatives: unreviewed</th>
            <td data-testid="export-count-unreviewed">{c.negatives.unreviewed}</td>
          </tr>
          <tr>
            <th>negatives: random</th>
            <td data-testid="export-count-random">{c.negatives.random}</td>
          </tr>
          <tr>
            <th>flagged candidates left out (not accepted)</th>
            <td data-testid="export-count-excluded">
              {c.flaggedExcluded} (suspected false negative {c.excluded['suspected-false-negative']}, near-duplicate {c.excluded['near-duplicate']}, same body as a positive{' '}
              {c.excluded['duplicate-of-positive']})
            </td>
          </tr>
          <tr>
            <th>queries left out</th>
            <td>
              {c.droppedNoPositive + c.droppedNoNegative + c.droppedShort + result.skipped.length} (no positive {c.droppedNoPositive}, no negative{' '}
              {c.droppedNoNegative}, too few {c.droppedShort}, by the writer {result.skipped.length})
            </td>
          </tr>
        </tbody>
      </table>
      {result.notes.map((n) => (
        <p key={n} className="export-help" data-testid="export-note">
          {n}
        </p>
      ))}
      {firstRow && (
        <>
          <h4>First row of {preview!.name}</h4>
          <pre className="export-preview">{firstRow}</pre>
        </>
      )}
    </aside>
  );
}
