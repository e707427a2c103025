// Page-side handle on an import: starts a worker, forwards progress, cancels, and
// terminates the worker when the import is over.
import * as Comlink from 'comlink';
import type { ImportWorkerApi } from './import.worker';
import type { ImportProgress, ImportRequest, ImportResult, NamedFile } from './types';

export interface RunningImport {
  result: Promise<ImportResult>;
  cancel(): void;
}

/** `paceMs`: tests only, see ImportHooks.paceMs. */
export function startImport(projectId: string, req: ImportRequest, onProgress?: (p: ImportProgress) => void, paceMs?: number): RunningImport {
  const worker = new Worker(new URL('./import.worker.ts', import.meta.url), { type: 'module', name: 'quarry-import' });
  const api = Comlink.wrap<ImportWorkerApi>(worker);
  const result = api
    .start(projectId, req, onProgress ? Comlink.proxy(onProgress) : undefined, paceMs)
    .finally(() => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    });
  return {
    result,
    cancel: () => {
      void api.cancel().catch(() => {});
    },
  };
}

/** Files from an <input type=file> (webkitRelativePath for folder picks). */
export function namedFiles(list: FileList | File[]): NamedFile[] {
  return Array.from(list).map((f) => ({ path: f.webkitRelativePath || f.name, file: f }));
}

/** Files from a drop, walking dropped folders (so a dropped BEIR folder keeps `qrels/dev.tsv`). */
export async function droppedFiles(dt: DataTransfer): Promise<NamedFile[]> {
  const entries = Array.from(dt.items)
    .map((i) => i.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return namedFiles(dt.files);
  const out: NamedFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ path: prefix + entry.name, file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries returns at most ~100 entries per call: read until empty.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return out;
}

/** Downloads the bundled demo project (public/demo) as files for the normal import path. */
export async function demoFiles(base = `${import.meta.env.BASE_URL}demo/`): Promise<{ name: string; files: NamedFile[] }> {
  const res = await fetch(`${base}manifest.json`);
  if (!res.ok) throw new Error(`Demo manifest not found (${res.status}).`);
  const manifest = (await res.json()) as { name: string; files: string[] };
  const files = await Promise.all(
    manifest.files.map(async (path) => {
      const r = await fetch(base + path);
      if (!r.ok) throw new Error(`Demo file ${path} not found (${r.status}).`);
      return { path, file: await r.blob() };
    }),
  );
  return { name: manifest.name, files };
}
