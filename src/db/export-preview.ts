// What an export will write, before anyone clicks: per format, how many queries and rows
// end up in the files, why the other queries are left out, and the one-click changes that
// would keep more of them. It runs the same assembly and row builders as buildExport
// (src/db/exports.ts) without serialising, so its counts are the rows the files get.
import { exportRows, type ExportFormat } from '../core/formats/export/index.ts';
import type { QuarryDB } from './db';
import { assembleExport, exportSides, isNtuple, loadExportData, writerOptions, type ExportData, type ExportRequest } from './exports';

export interface FormatPreview {
  format: ExportFormat;
  /** Queries with at least one row written. */
  queries: number;
  /** Data rows written, over all files (train and dev). */
  rows: number;
  files: Array<{ name: 'train' | 'dev'; rows: number }>;
  /** Queries of the run that have candidates (the most that could be written). */
  candidates: number;
  /** Queries left out and why. */
  left: { noPositive: number; noNegative: number; tooFew: number };
}

export interface ExportFix {
  kind: 'include-unreviewed' | 'lower-width';
  label: string;
  /** The request fields to change. */
  patch: Partial<Pick<ExportRequest, 'includeUnreviewed' | 'negativesPerRow' | 'lceGroupSize'>>;
  /** What the format writes after the change. */
  after: FormatPreview;
}

/** Counts for one request from loaded data (the request's format; `lce` counts as its text twin). */
export function previewFormat(data: ExportData, req: ExportRequest): FormatPreview {
  const { rows, counts, target } = assembleExport(data, req);
  const examples = new Map(rows.map((r) => [r.example.queryId, r.example]));
  const opts = writerOptions(req, target);
  // Token ids change the cells, not which groups are written: count lce as lce-text.
  const format = req.format === 'lce' ? 'lce-text' : req.format;
  const left = { noPositive: counts.droppedNoPositive, noNegative: counts.droppedNoNegative, tooFew: counts.droppedShort };
  const files: FormatPreview['files'] = [];
  let queries = 0;
  for (const [side, qids] of exportSides(req, [...examples.keys()])) {
    const set = exportRows(qids.map((q) => examples.get(q)!), format, opts);
    files.push({ name: side, rows: set.rows.length });
    queries += qids.length - set.skipped.length;
    for (const s of set.skipped) {
      if (/positive/.test(s.reason)) left.noPositive++;
      else if (/^no negative/.test(s.reason)) left.noNegative++;
      else left.tooFew++;
    }
  }
  return { format: req.format, queries, rows: files.reduce((n, f) => n + f.rows, 0), files, candidates: counts.queriesIn, left };
}

/** Formats whose rows all have the same number of negatives (a query with fewer is left out). */
export function fixedWidth(req: Pick<ExportRequest, 'format' | 'csvShape' | 'negativesPerRow'>): boolean {
  if (req.format === 'lce' || req.format === 'lce-text') return true;
  const ntuple = isNtuple(req.format) || (req.format === 'csv' && req.csvShape === 'ntuple');
  return ntuple && req.negativesPerRow !== undefined;
}

/** The width a fixed-width request asks for (negatives per row; LCE: group size − 1). */
function widthOf(req: ExportRequest): number | undefined {
  if (req.format === 'lce' || req.format === 'lce-text') return (req.lceGroupSize ?? 8) - 1;
  return req.negativesPerRow;
}

/**
 * The changes that keep more queries of `req`'s format: take unreviewed candidates too, and,
 * for fixed-width formats, lower the width to what every query with a negative reaches.
 */
export async function exportFixes(db: QuarryDB, req: ExportRequest, now: FormatPreview): Promise<ExportFix[]> {
  const fixes: ExportFix[] = [];
  if (!req.includeUnreviewed && (now.left.noNegative > 0 || now.left.tooFew > 0)) {
    const alt = { ...req, includeUnreviewed: true };
    const after = previewFormat(await loadExportData(db, alt), alt);
    if (after.queries > now.queries) fixes.push({ kind: 'include-unreviewed', label: 'Pad with unreviewed candidates', patch: { includeUnreviewed: true }, after });
  }
  const width = widthOf(req);
  if (fixedWidth(req) && width !== undefined && width > 1 && now.left.tooFew > 0) {
    // How many negatives each query reaches when no width is imposed (capped at the current one).
    const data = await loadExportData(db, req);
    const loose = assembleExport(data, { ...req, format: 'st-triplet', negativesPerRow: width, lceGroupSize: undefined });
    const reach = loose.rows.map((r) => r.example.negatives.length).filter((n) => n > 0);
    const lower = Math.min(...reach);
    if (reach.length && lower < width) {
      const patch: ExportFix['patch'] = req.format === 'lce' || req.format === 'lce-text' ? { lceGroupSize: lower + 1 } : { negativesPerRow: lower };
      const after = previewFormat(data, { ...req, ...patch });
      if (after.queries > now.queries) {
        const what = 'lceGroupSize' in patch ? `group size ${lower + 1}` : `${lower} negative${lower === 1 ? '' : 's'} per row`;
        fixes.push({ kind: 'lower-width', label: `Lower the width to ${what}`, patch, after });
      }
    }
  }
  return fixes;
}

/** Previews of several requests over the same run (one read of the data per distinct read). */
export async function previewExports(db: QuarryDB, reqs: ExportRequest[]): Promise<FormatPreview[]> {
  const cache = new Map<string, Promise<ExportData>>();
  const out: FormatPreview[] = [];
  for (const req of reqs) {
    // What the data read depends on: the documents (random fill) and the decisions used.
    const key = JSON.stringify([req.runId, req.fillRandom, req.reviewer ?? '', req.includeUnreviewed && req.usePredictions]);
    if (!cache.has(key)) cache.set(key, loadExportData(db, req));
    out.push(previewFormat(await cache.get(key)!, req));
  }
  return out;
}
