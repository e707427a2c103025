// Points transformers.js' ONNX Runtime (onnxruntime-web, the `webgpu` bundle that
// transformers.js 4.3 imports) at files we serve ourselves, so nothing is fetched from
// the jsDelivr CDN it defaults to, and turns on multi-threading.
//
// Which ORT build a worker loads (ortBuildFor), on purpose:
// - a WebGPU adapter exists → `ort-wasm-simd-threaded.asyncify.*` (27 MB): the only build
//   of onnxruntime-web 1.31 with the WebGPU execution provider (asyncify lets WASM await
//   GPU work). It runs WASM too: the fallback when WebGPU fails, and models set to 'wasm'.
// - no adapter → `ort-wasm-simd-threaded.*` (14 MB): WASM only; loads in about half the
//   time and ran as fast (bench/rows/runtime.ts).
// The choice is per worker, not per model, because ORT initialises once per realm: a
// worker that had loaded the plain build for a 'wasm' model could not run a later 'auto'
// model on WebGPU. A browser without an adapter never downloads the 27 MB build, and the
// service worker caches it only where an adapter exists (src/sw/sw.ts).
import { env } from '@huggingface/transformers';
import asyncifyMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import plainMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

export type OrtBuild = 'plain' | 'asyncify';

/** The ORT build a worker loads: asyncify (WebGPU EP) when the browser has a WebGPU adapter. */
export function ortBuildFor(webGpuAdapter: boolean): OrtBuild {
  return webGpuAdapter ? 'asyncify' : 'plain';
}

export interface OnnxSetup {
  build: OrtBuild;
  numThreads: number;
  /** False when COOP/COEP are missing: ORT then silently runs single-threaded. */
  crossOriginIsolated: boolean;
}

let applied: OnnxSetup | null = null;
// Measured (bench/rows/runtime.ts, busy 2-core machine): letting ORT stream-compile the
// .wasm by URL (env.useWasmCache = false) made a fresh worker's load slower (7.9 s vs
// 2.5 s) than transformers.js' default of handing ORT the bytes from Cache Storage, so
// we keep the default.

/** Threads for ORT: all cores when SharedArrayBuffer is available (cross-origin isolated), else 1. */
export function pickThreadCount(): number {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated) return 1;
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(cores, 16));
}

/**
 * Configure ONNX Runtime once per JS realm (page or worker), before the first session.
 * ORT reads wasmPaths when it initialises, so a later call with another build is ignored
 * (the first one wins); we return what is actually in effect.
 */
export function setupOnnx(build: OrtBuild): OnnxSetup {
  if (applied) return applied;
  const onnx = env.backends.onnx as { wasm?: Record<string, unknown> };
  const wasm = onnx.wasm;
  if (!wasm) throw new Error('transformers.js exposed no ONNX WASM backend (env.backends.onnx.wasm is missing)');
  // Set the fields of the existing object: ORT keeps a reference to it, a new object is ignored.
  let paths = wasm.wasmPaths as { mjs?: string; wasm?: string } | string | undefined;
  if (!paths || typeof paths !== 'object') {
    paths = {};
    wasm.wasmPaths = paths;
  }
  const base = globalThis.location?.href;
  paths.mjs = new URL(build === 'plain' ? plainMjs : asyncifyMjs, base).href;
  paths.wasm = new URL(build === 'plain' ? plainWasm : asyncifyWasm, base).href;
  const numThreads = pickThreadCount();
  wasm.numThreads = numThreads;
  // Running inside our own worker already: ORT's extra proxy worker would only add copies.
  wasm.proxy = false;
  applied = {
    build,
    numThreads,
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
  };
  return applied;
}
