// Model folders chosen or dropped by the user, kept in the Origin Private File System
// (OPFS) under models/<folderId>/ so they survive reloads without a network. They are
// served to transformers.js through a fetch wrapper: any request for
// `/local-models/<folderId>/<path>` is answered from OPFS; every other request goes to
// the real fetch. Works in pages and workers (navigator.storage.getDirectory).
import { checkModelFolder, type FolderReport } from './folder-check';

export const LOCAL_PREFIX = '/local-models/';

export interface FolderFile {
  /** Path relative to the chosen folder, e.g. `my-model/onnx/model.onnx`. */
  path: string;
  data: Blob;
}

async function root(): Promise<FileSystemDirectoryHandle> {
  const storage = globalThis.navigator?.storage;
  if (!storage?.getDirectory) throw new Error('this browser has no Origin Private File System (navigator.storage.getDirectory)');
  const top = await storage.getDirectory();
  return top.getDirectoryHandle('models', { create: true });
}

async function dirFor(base: FileSystemDirectoryHandle, parts: string[], create: boolean): Promise<FileSystemDirectoryHandle> {
  let d = base;
  for (const p of parts) d = await d.getDirectoryHandle(p, { create });
  return d;
}

/** Validate (see folder-check.ts) without storing anything. */
export async function inspectFolder(files: FolderFile[]): Promise<FolderReport> {
  const byRel = (name: string) => files.find((f) => f.path.replace(/\\/g, '/').split('/').slice(-1)[0] === name && !f.path.includes('onnx/'));
  const config = await byRel('config.json')?.data.text();
  const tokenizer = await byRel('tokenizer.json')?.data.text();
  return checkModelFolder(files.map((f) => f.path), { config, tokenizer });
}

/**
 * Store a validated folder in OPFS under a new id. Only the files transformers.js reads
 * are copied (config, tokenizer files, onnx/*.onnx[_data]). Throws with the report's
 * problems when the folder is unusable.
 */
export async function saveFolder(files: FolderFile[], folderId: string): Promise<FolderReport> {
  const report = await inspectFolder(files);
  if (!report.ok) throw new Error(`model folder is not usable: ${report.problems.join('; ')}`);
  if (!/^[\w.-]+$/.test(folderId)) throw new Error(`folder id "${folderId}" may only hold letters, digits, . _ -`);
  const base = await dirFor(await root(), [folderId], true);
  const prefix = report.root ? report.root + '/' : '';
  for (const f of files) {
    const rel = f.path.replace(/\\/g, '/').replace(/^\.?\//, '').slice(prefix.length);
    if (!/^(onnx\/[^/]+\.onnx(_data(_\d+)?)?|[^/]+\.(json|txt|model))$/.test(rel)) continue;
    const parts = rel.split('/');
    const dir = await dirFor(base, parts.slice(0, -1), true);
    const handle = await dir.getFileHandle(parts[parts.length - 1], { create: true });
    const w = await handle.createWritable();
    await w.write(f.data);
    await w.close();
  }
  return report;
}

export async function removeFolder(folderId: string): Promise<void> {
  await (await root()).removeEntry(folderId, { recursive: true });
}

/** A stored file as a Response (404 when absent), for the fetch wrapper. */
export async function readStored(folderId: string, rel: string): Promise<Response> {
  try {
    const parts = rel.split('/').filter(Boolean);
    const dir = await dirFor(await root(), [folderId, ...parts.slice(0, -1)], false);
    const file = await (await dir.getFileHandle(parts[parts.length - 1])).getFile();
    return new Response(file, { status: 200, headers: { 'content-length': String(file.size) } });
  } catch {
    return new Response(`not stored: ${folderId}/${rel}`, { status: 404 });
  }
}

let installed = false;
/** Route `/local-models/<id>/<path>` fetches to OPFS (idempotent). */
export function installLocalFetch(env: { fetch: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> }): void {
  if (installed) return;
  installed = true;
  const real = env.fetch.bind(globalThis);
  env.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const path = new URL(url, globalThis.location?.href).pathname;
    if (path.startsWith(LOCAL_PREFIX)) {
      const [id, ...rest] = path.slice(LOCAL_PREFIX.length).split('/');
      return readStored(decodeURIComponent(id), rest.map(decodeURIComponent).join('/'));
    }
    return real(input, init);
  };
}
