// Import worker: parsing and IndexedDB writes run here, so the page stays responsive
// while a 64k-document corpus streams in. One worker per import; the page calls
// cancel() to stop cooperatively (the import rolls itself back before resolving).
import * as Comlink from 'comlink';
import { getDB } from '../../db/db';
import { runImport } from './importer';
import type { ImportProgress, ImportRequest, ImportResult } from './types';

let controller: AbortController | null = null;

const api = {
  async start(projectId: string, req: ImportRequest, onProgress?: (p: ImportProgress) => void, paceMs?: number): Promise<ImportResult> {
    controller = new AbortController();
    try {
      return await runImport(getDB(), projectId, req, { signal: controller.signal, onProgress, paceMs });
    } finally {
      controller = null;
    }
  },
  cancel(): void {
    controller?.abort();
  },
};

export type ImportWorkerApi = typeof api;
Comlink.expose(api);
