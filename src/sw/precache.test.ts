// The precache manifest vite-plugin-pwa writes into dist/sw.js, read from two real builds
// (vite.config.ts as it is) that differ in one public file: only that file's revision may
// change, so an installed service worker re-downloads that file and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { WEBGPU_ONLY } from './precache-rules';
import { builtManifest, type PrecacheEntry as Entry } from './built-manifest';

const root = resolve(import.meta.dirname, '../..');
let tmp = '';

async function buildInto(outDir: string, publicDir: string): Promise<Entry[]> {
  await build({ root, publicDir, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return builtManifest(outDir);
}

let first: Entry[] = [];
let second: Entry[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'quarry-precache-'));
  // The second build's public/ differs from the repository's in one file.
  const changedPublic = join(tmp, 'public');
  cpSync(join(root, 'public'), changedPublic, { recursive: true });
  writeFileSync(join(changedPublic, 'demo/manifest.json'), readFileSync(join(changedPublic, 'demo/manifest.json'), 'utf8') + '\n');
  first = await buildInto(join(tmp, 'a'), join(root, 'public'));
  second = await buildInto(join(tmp, 'b'), changedPublic);
}, 600_000);

afterAll(() => tmp && rmSync(tmp, { recursive: true, force: true }));

describe('precache manifest of a real build', () => {
  it('a rebuild with one changed file changes only that file’s revision', () => {
    const byUrl = (m: Entry[]) => new Map(m.map((e) => [e.url, e.revision]));
    const a = byUrl(first);
    const b = byUrl(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const changed = [...a.keys()].filter((u) => a.get(u) !== b.get(u));
    expect(changed).toEqual(['demo/manifest.json']);
  });

  it('gives every file outside assets/ its own content revision; hashed assets/ names need none', () => {
    for (const e of first) {
      if (e.url.startsWith('assets/')) expect(e.revision, e.url).toBeNull();
      else expect(e.revision, e.url).toMatch(/^[0-9a-f]{32}$/);
    }
    // Files with the same bytes share a revision; files with different bytes do not.
    const rev = (u: string) => first.find((e) => e.url === u)?.revision;
    expect(rev('models/pkgs-minilm/vocab.txt')).toBe(rev('models/pkgs-static/vocab.txt'));
    expect(rev('models/pkgs-minilm/config.json')).not.toBe(rev('models/pkgs-static/config.json'));
  });

  it('lists the app, ORT and the bundled models and demos, not the runtime lab page', () => {
    const urls = first.map((e) => e.url);
    expect(urls).toContain('index.html');
    expect(urls).toContain('models/pkgs-minilm/onnx/model_quantized.onnx');
    expect(urls).toContain('demo/corpus.jsonl.gz');
    expect(urls).toContain('demo-ja/corpus.jsonl.gz');
    expect(urls.filter((u) => /^assets\/main-[^/]+\.js$/.test(u))).toHaveLength(1);
    expect(urls.filter((u) => /^assets\/ort-wasm-simd-threaded-[^/.]+\.(wasm|mjs)$/.test(u))).toHaveLength(2);
    expect(urls.filter((u) => /lab|runtime-lab/.test(u))).toEqual([]);
    expect(urls.filter((u) => /\.map$|README\.md$|^sw\.js$/.test(u))).toEqual([]);
    // ORT's WebGPU build is listed (sw.ts keeps it out of the precache and caches it only
    // where WebGPU runs): exactly its .wasm and .mjs match the rule sw.ts filters with.
    const webgpu = urls.filter((u) => WEBGPU_ONLY.test(u));
    expect(webgpu.filter((u) => /^assets\/ort-wasm-simd-threaded\.asyncify-[^/]+\.wasm$/.test(u))).toHaveLength(1);
    expect(webgpu.filter((u) => /^assets\/ort-wasm-simd-threaded\.asyncify-[^/]+\.mjs$/.test(u))).toHaveLength(1);
    expect(urls.filter((u) => WEBGPU_ONLY.test(u))).toHaveLength(2);
  });
});
