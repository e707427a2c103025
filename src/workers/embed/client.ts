// Page-side client of the embedding worker. Pages and other workers call this; they never
// post messages themselves.
//
//   const embed = createEmbedClient();          // starts one worker
//   const info = await embed.api.load(model);   // device, dtype, load time
//   const job = embed.embedJob({...}, p => setProgress(p));
//   job.cancel();  await job.result;
//   embed.dispose();                            // in the React effect cleanup (StrictMode starts effects twice)
import * as Comlink from 'comlink';
import { faultNameSuffix } from '../../runtime/browser/webgpu-faults';
import type { EmbedJobProgress, EmbedJobReply, EmbedJobRequest, EmbedWorkerApi, ScoreProgress, ScoreRequest, StoredBlockMessage } from './api';

export type { EmbedWorkerApi, ModelRef, LoadInfo, EmbedItem, JobProgress, EmbedJobProgress, ScoreProgress } from './api';

export interface RunningJob<T> {
  jobId: string;
  result: Promise<T>;
  cancel(): Promise<void>;
}

export interface EmbedClient {
  api: Comlink.Remote<EmbedWorkerApi>;
  /** Start an embedding job; a missing jobId gets a random one. */
  embedJob(
    req: Omit<EmbedJobRequest, 'jobId'> & { jobId?: string },
    onProgress?: (p: EmbedJobProgress) => void,
    onBlock?: (b: StoredBlockMessage) => void,
  ): RunningJob<EmbedJobReply>;
  score(req: Omit<ScoreRequest, 'jobId'> & { jobId?: string }, onProgress?: (p: ScoreProgress) => void): RunningJob<Float32Array>;
  /** Terminate the worker (loaded models and running jobs end with it). */
  dispose(): void;
}

export function createEmbedClient(): EmbedClient {
  // The name carries a simulated WebGPU fault from the page's query, for tests (webgpu-faults.ts).
  const name = 'quarry-embed' + faultNameSuffix(globalThis.location?.search ?? '');
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name });
  const remote = Comlink.wrap<EmbedWorkerApi>(worker);
  // A worker that fails to start (script not reachable offline, CSP, syntax) only fires
  // 'error' on the Worker object; comlink calls would wait forever. Fail them instead.
  let fail: (e: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  worker.addEventListener('error', (e) => fail(new Error(`embedding worker failed: ${e.message || 'could not start (script unreachable?)'}`)));
  worker.addEventListener('messageerror', () => fail(new Error('embedding worker sent a message that could not be read')));
  const api = new Proxy(remote, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => Promise.race([(value as (...a: unknown[]) => Promise<unknown>)(...args), failed]);
    },
  }) as Comlink.Remote<EmbedWorkerApi>;
  const newId = () => crypto.randomUUID();
  return {
    api,
    embedJob(req, onProgress, onBlock) {
      const jobId = req.jobId ?? newId();
      const result = api.embedJob({ ...req, jobId }, onProgress ? Comlink.proxy(onProgress) : undefined, onBlock ? Comlink.proxy(onBlock) : undefined);
      return { jobId, result, cancel: () => api.cancel(jobId) };
    },
    score(req, onProgress) {
      const jobId = req.jobId ?? newId();
      const result = api.score({ ...req, jobId }, onProgress ? Comlink.proxy(onProgress) : undefined);
      return { jobId, result, cancel: () => api.cancel(jobId) };
    },
    dispose() {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
