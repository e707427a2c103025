// Node only (tests, bench): the precache manifest Workbox injected into a built sw.js, and
// what it weighs. Each entry is a built file: `revision` is the MD5 of its bytes, or null
// for files under assets/ whose names carry a content hash.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WEBGPU_ONLY } from './precache-rules';

export interface PrecacheEntry {
  url: string;
  revision: string | null;
}

/** The entries of `outDir/sw.js` (the one JSON array of {revision, url} in it). */
export function builtManifest(outDir: string): PrecacheEntry[] {
  const sw = readFileSync(join(outDir, 'sw.js'), 'utf8');
  const start = sw.indexOf('[{"revision"');
  if (start < 0) throw new Error(`${join(outDir, 'sw.js')} holds no Workbox precache manifest`);
  let depth = 0;
  for (let end = start; end < sw.length; end++) {
    if (sw[end] === '[') depth++;
    else if (sw[end] === ']' && --depth === 0) return JSON.parse(sw.slice(start, end + 1)) as PrecacheEntry[];
  }
  throw new Error(`${join(outDir, 'sw.js')}: the precache manifest does not end`);
}

/** Files and bytes a first visit precaches, and those of ORT's WebGPU build, cached only where WebGPU runs. */
export function precacheSize(outDir: string): { files: number; bytes: number; webgpuFiles: number; webgpuBytes: number } {
  const out = { files: 0, bytes: 0, webgpuFiles: 0, webgpuBytes: 0 };
  for (const e of builtManifest(outDir)) {
    const size = statSync(join(outDir, e.url)).size;
    if (WEBGPU_ONLY.test(e.url)) {
      out.webgpuFiles++;
      out.webgpuBytes += size;
    } else {
      out.files++;
      out.bytes += size;
    }
  }
  return out;
}
