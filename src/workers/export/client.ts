// Page-side handle on an export: runs buildExport in a worker of its own (export.worker.ts)
// and terminates it when the export is over. Model calls (LCE token ids, teacher scores)
// come back to the page, whose embedding worker may already hold the reranker.
import * as Comlink from 'comlink';
import type { ExportDeps, ExportRequest, ExportResult } from '../../db/exports';
import type { ExportWorkerApi } from './export.worker';

export async function buildExportInWorker(req: ExportRequest, deps: ExportDeps = {}): Promise<ExportResult> {
  const worker = new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module', name: 'quarry-export' });
  const api = Comlink.wrap<ExportWorkerApi>(worker);
  try {
    return await api.build(req, deps.tokenIds && Comlink.proxy(deps.tokenIds), deps.score && Comlink.proxy(deps.score));
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}
