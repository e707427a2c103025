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
    // The zip can be large: hand its buffer over instead of copying it.
    return Comlink.transfer(result, [result.zip.buffer as ArrayBuffer]);
  },
};

export type ExportWorkerApi = typeof api;
Comlink.expose(api);
