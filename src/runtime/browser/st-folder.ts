// A sentence-transformers folder's own settings (core st-metadata.ts) read in the browser:
// from the files of a chosen or dropped folder, or from a folder served under /models/.
import { readStFolderAsync, type FolderSettings } from '../../core/spec/st-metadata';
import type { FolderFile } from './local-folders';
import { stripRoot } from './folder-check';

/** Settings from the files of a chosen folder (paths may share the folder's own name as a top folder). */
export function stSettingsFromFiles(files: FolderFile[]): Promise<FolderSettings> {
  const { rel } = stripRoot(files.map((f) => f.path));
  const byRel = new Map(rel.map((r, i) => [r, files[i].data]));
  return readStFolderAsync(async (path) => byRel.get(path)?.text());
}

/** Settings from a folder served over HTTP (`/models/<name>/`); a missing file (404) is just absent. */
export function stSettingsFromUrl(base: string): Promise<FolderSettings> {
  const root = base.endsWith('/') ? base : base + '/';
  return readStFolderAsync(async (path) => {
    try {
      const r = await fetch(root + path);
      // Dev servers answer unknown paths with index.html: only JSON counts.
      if (!r.ok || /text\/html/.test(r.headers.get('content-type') ?? '')) return undefined;
      return await r.text();
    } catch {
      return undefined;
    }
  });
}
