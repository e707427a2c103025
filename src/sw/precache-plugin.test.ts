import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { precacheManifest } from './precache-plugin';

let dir = '';
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function build(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'quarry-sw-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

describe('precacheManifest', () => {
  it('lists every built file (models and demo included), sorted, without sw.js, maps and READMEs', () => {
    const out = build({
      'index.html': '<html>',
      'sw.js': 'old worker',
      'assets/main-abc.js': 'js',
      'assets/main-abc.js.map': '{}',
      'assets/ort-wasm-simd-threaded-x.wasm': 'wasm',
      'models/README.md': 'doc',
      'models/pkgs-minilm/onnx/model_quantized.onnx': 'onnx',
      'demo/corpus.jsonl.gz': 'gz',
    });
    expect(precacheManifest(out).files).toEqual([
      'assets/main-abc.js',
      'assets/ort-wasm-simd-threaded-x.wasm',
      'demo/corpus.jsonl.gz',
      'index.html',
      'models/pkgs-minilm/onnx/model_quantized.onnx',
    ]);
  });

  it("lists ORT's WebGPU build (asyncify) apart: cached only where WebGPU runs", () => {
    const out = build({
      'index.html': '<html>',
      'assets/ort-wasm-simd-threaded-x.wasm': 'wasm',
      'assets/ort-wasm-simd-threaded-y.mjs': 'mjs',
      'assets/ort-wasm-simd-threaded.asyncify-z.wasm': 'big wasm',
      'assets/ort-wasm-simd-threaded.asyncify-w.mjs': 'mjs',
    });
    const m = precacheManifest(out);
    expect(m.files).toEqual(['assets/ort-wasm-simd-threaded-x.wasm', 'assets/ort-wasm-simd-threaded-y.mjs', 'index.html']);
    expect(m.webgpuFiles).toEqual(['assets/ort-wasm-simd-threaded.asyncify-w.mjs', 'assets/ort-wasm-simd-threaded.asyncify-z.wasm']);
    // The version covers both lists: a new WebGPU build is a new cache too.
    writeFileSync(join(out, 'assets/ort-wasm-simd-threaded.asyncify-z.wasm'), 'other');
    expect(precacheManifest(out).version).not.toBe(m.version);
  });

  it('changes the version when any file content changes, and only then', () => {
    const out = build({ 'index.html': 'a', 'assets/x.js': 'one' });
    const v1 = precacheManifest(out).version;
    expect(precacheManifest(out).version).toBe(v1);
    writeFileSync(join(out, 'sw.js'), 'ignored');
    expect(precacheManifest(out).version).toBe(v1);
    writeFileSync(join(out, 'assets/x.js'), 'two');
    const v2 = precacheManifest(out).version;
    expect(v2).not.toBe(v1);
    expect(v2).toMatch(/^[0-9a-f]{16}$/);
  });
});
