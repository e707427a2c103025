// Export worker: reads the run from IndexedDB, assembles the rows and writes the files (the
// Parquet writer, the zip) here, so a large export never blocks the page. The same
// buildExport (src/db/exports.ts) as everywhere; one worker per export (client.ts).
import * as Comlink from 'comlink';
import { getDB } from '../../db/db';
import { buildExport, type ExportDeps, type ExportRequest, type ExportResult } from '../../db/exports';

const api = {
  /** tokenIds / score: the page's embedding worker, called back through Comlink proxies. */
  async build(req: ExportRequest, tokenIds?: ExportDeps['tokenIds'], score?: ExportDeps['score']): Promise<ExportResult> {
    const result = await buildExport(getDB(), req, { tokenIds, score });
    // The zip and the files can be large: hand their buffers over instead of copying them.
    const buffers = new Set([result.zip, ...result.files.map((f) => f.data)].map((a) => a.buffer as ArrayBuffer));
    return Comlink.transfer(result, [...buffers]);
  },
};

export type ExportWorkerApi = typeof api;
Comlink.expose(api);
