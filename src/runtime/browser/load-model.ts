// Loads a model in the browser (page or worker) through the isomorphic runtime adapters
// (src/runtime/embedder.ts, cross-encoder.ts): same tokenisation, truncation and pooling
// as the CLI. This file only adds what the browser needs: ORT file locations and threads,
// where each model source lives, the device choice with WebGPU → WASM fallback, and the
// check that the graph has the output we read.
import { env } from '@huggingface/transformers';
import type { ModelKind, ModelSettings, ModelSource as StoredSource } from '../../db/schema';
import { loadCrossEncoder, loadPairTokenizer, type PairTokenizer, type TransformersCrossEncoder } from '../cross-encoder';
import { loadEmbedder, type TransformersEmbedder } from '../embedder';
import type { ModelSource as RuntimeSource } from '../model-source';
import { adapterLabel, chooseDevice, webGpuAdapterInfo, withDeviceFallback, type Device } from './device';
import { checkOutputs } from './folder-check';
import { installLocalFetch, LOCAL_PREFIX } from './local-folders';
import { ortBuildFor, setupOnnx, type OnnxSetup } from './onnx-setup';
import { checkSessionFault, withRunFault } from './webgpu-faults';

export interface BrowserModelSpec {
  kind: ModelKind;
  source: StoredSource;
  settings: ModelSettings;
  queryMaxLength?: number;
}

export interface LoadedBrowserModel {
  kind: ModelKind;
  embedder?: TransformersEmbedder;
  scorer?: TransformersCrossEncoder;
  device: Device;
  /** The WebGPU adapter (`google swiftshader`) when the model runs on WebGPU. */
  adapter?: string;
  notice?: string;
  loadMs: number;
  onnx: OnnxSetup;
  dispose(): Promise<void>;
}

/**
 * Where transformers.js finds a source: `{ id, localModelPath }`.
 * - bundled `pkgs-minilm` → /models/pkgs-minilm; an absolute path such as
 *   `/models-fp32/pkgs-minilm` is split into folder + name.
 * - hub `org/name` → downloaded by transformers.js (and kept in Cache Storage).
 * - local `<folderId>` → /local-models/<folderId>, answered from OPFS (local-folders.ts).
 */
export function runtimeSource(source: StoredSource): RuntimeSource {
  if (source.type === 'hub') return { id: source.hubId, key: `hub:${source.hubId}` };
  const path = source.type === 'bundled' ? source.path : LOCAL_PREFIX + source.folder;
  const clean = path.replace(/\/+$/, '');
  const cut = clean.lastIndexOf('/');
  const folder = cut >= 0 ? clean.slice(0, cut + 1) : '/models/';
  const id = cut >= 0 ? clean.slice(cut + 1) : clean;
  return { id, localModelPath: folder.startsWith('/') ? folder : '/' + folder, key: `${source.type}:${clean}` };
}

function dtypeFor(settings: ModelSettings): 'fp32' | 'q8' {
  // fp16 and q4 weights run in onnxruntime-node (the CLI); in the browser they are not
  // verified on WASM/WebGPU here, so they are refused rather than risked.
  if (settings.dtype === 'fp16' || settings.dtype === 'q4') throw new Error(`dtype ${settings.dtype} is not supported in the browser yet: choose fp32 or q8 (the CLI runs ${settings.dtype})`);
  return settings.dtype;
}

/** Points transformers.js at where `spec`'s files live; only a hub source may download. */
function setupSource(spec: BrowserModelSpec): RuntimeSource {
  env.allowLocalModels = true;
  env.localModelPath = '/models/';
  env.allowRemoteModels = spec.source.type === 'hub';
  installLocalFetch(env as unknown as { fetch: (i: RequestInfo | URL, init?: RequestInit) => Promise<Response> });
  return runtimeSource(spec.source);
}

/** A cross-encoder's tokenizer without its ONNX session (LCE token ids for the export). */
export function loadBrowserPairTokenizer(spec: BrowserModelSpec): Promise<PairTokenizer> {
  return loadPairTokenizer(setupSource(spec), spec.settings.maxLength);
}

export async function loadBrowserModel(spec: BrowserModelSpec): Promise<LoadedBrowserModel> {
  const t0 = performance.now();
  const adapter = await webGpuAdapterInfo();
  const choice = chooseDevice(spec.settings.device, adapter !== null);
  const onnx = setupOnnx(ortBuildFor(adapter !== null));
  const source = setupSource(spec);
  const dtype = dtypeFor(spec.settings);

  const result = await withDeviceFallback(choice, async (device) => {
    if (device === 'webgpu') {
      if (onnx.build !== 'asyncify') throw new Error('ORT was set up without WebGPU in this worker');
      checkSessionFault();
    }
    // A model on WebGPU may still fail later (a lost device): the worker then reloads it on WASM.
    const gpu = device === 'webgpu';
    if (spec.kind === 'cross-encoder') {
      const scorer = await loadCrossEncoder(source, { dtype, device, maxLen: spec.settings.maxLength });
      return { scorer: gpu ? withRunFault(scorer, 'score') : scorer, outputs: outputNames(scorer) };
    }
    const embedder = await loadEmbedder(source, {
      dtype,
      device,
      pooling: spec.settings.pooling,
      normalize: spec.settings.normalize,
      queryPrefix: spec.settings.queryPrefix,
      docPrefix: spec.settings.docPrefix,
      maxLen: spec.settings.maxLength,
      queryMaxLen: spec.queryMaxLength ?? 32,
    });
    return { embedder: gpu ? withRunFault(embedder, 'embed') : embedder, outputs: outputNames(embedder) };
  });
  const { embedder, scorer, outputs } = result.value as {
    embedder?: TransformersEmbedder;
    scorer?: TransformersCrossEncoder;
    outputs: string[] | null;
  };
  const wrong = outputs ? checkOutputs(spec.kind, outputs) : null;
  if (wrong) {
    await (embedder ?? scorer)?.dispose();
    throw new Error(wrong);
  }
  return {
    kind: spec.kind,
    embedder,
    scorer,
    device: result.device,
    adapter: result.device === 'webgpu' && adapter ? adapterLabel(adapter) : undefined,
    notice: result.notice,
    loadMs: performance.now() - t0,
    onnx,
    dispose: async () => {
      await (embedder ?? scorer)?.dispose();
    },
  };
}

/** The ONNX session's output names, when transformers.js exposes them. */
function outputNames(m: unknown): string[] | null {
  const model = (m as { model?: { sessions?: Record<string, { outputNames?: string[] }> } }).model;
  return model?.sessions?.model?.outputNames ?? null;
}
