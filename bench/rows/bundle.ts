// Bench row "bundle": what the first page load downloads. The entry chunk index.html
// loads (main-*.js) must stay ≤ 300 kB: pages are lazy chunks, so recharts (Evaluate),
// fflate and hyparquet-writer (Export) load with the page that uses them. Also what the
// service worker precaches on a first visit (src/sw/built-manifest.ts).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureBuilt, fmt, ROOT } from '../lib/env';
import { precacheSize } from '../../src/sw/built-manifest';
import type { Row } from '../types';

export const name = 'bundle size';
export const MAIN_CHUNK_LIMIT_KB = 300;

/** The JS files index.html loads up front (its module script and modulepreloads), relative to dist/. */
export function firstLoadScripts(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)) out.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)) out.add(m[1]);
  return [...out].map((p) => p.replace(/^\.?\//, ''));
}

export async function run(): Promise<Row[]> {
  ensureBuilt();
  const dist = join(ROOT, 'dist');
  const scripts = firstLoadScripts(readFileSync(join(dist, 'index.html'), 'utf8'));
  if (!scripts.length) throw new Error('dist/index.html loads no module script');
  const kb = (f: string) => statSync(join(dist, f)).size / 1000;
  const gz = (f: string) => gzipSync(readFileSync(join(dist, f))).length / 1000;
  const total = scripts.reduce((n, f) => n + kb(f), 0);
  const main = scripts.find((f) => /\/main-[^/]+\.js$/.test(f)) ?? scripts[0];
  const pre = precacheSize(dist);
  return [
    {
      row: 'bundle: main chunk (first load JS)',
      value: Math.round(kb(main) * 10) / 10,
      unit: 'kB',
      detail: `${main} ${fmt(gz(main), 1)} kB gzip; target ≤ ${MAIN_CHUNK_LIMIT_KB} kB ${kb(main) <= MAIN_CHUNK_LIMIT_KB ? 'met' : 'NOT met'}; first load ${scripts.length} script(s), ${fmt(total, 1)} kB`,
    },
    {
      row: 'bundle: service worker precache (first visit, no WebGPU)',
      value: Math.round(pre.bytes / 1e5) / 10,
      unit: 'MB',
      detail: `${pre.files} files; ORT's WebGPU build (${pre.webgpuFiles} files, ${fmt(pre.webgpuBytes / 1e6, 1)} MB) only where WebGPU runs; a rebuild re-downloads only files whose revision or hashed name changed`,
    },
  ];
}
