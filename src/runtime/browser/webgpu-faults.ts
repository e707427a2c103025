// Simulated WebGPU failures, for tests only (e2e/webgpu.spec.ts): a GPU that refuses a
// session or loses its device cannot be had on demand, and the fallback to WASM must still
// be exercised. A test opens a page with `?webgpu-fault=session` or `?webgpu-fault=run:4`;
// the embedding client passes it to its worker in the worker's name, and the worker arms
// it. Nothing is armed otherwise, and an armed fault only touches models on WebGPU.
export type WebGpuFault =
  /** Session creation throws, as for an op the WebGPU EP lacks or a device that cannot be created. */
  | { at: 'session' }
  /** The first `afterCalls` model calls run, then every call throws, as after a lost device. */
  | { at: 'run'; afterCalls: number };

let armed: WebGpuFault | null = null;

/** `session` or `run:<calls>` from a page query or a worker name; null when absent or malformed. */
export function parseWebGpuFault(text: string): WebGpuFault | null {
  const m = /(?:^|[?&\s])webgpu-fault=(session|run:(\d+))(?:$|[&\s])/.exec(text);
  if (!m) return null;
  return m[1] === 'session' ? { at: 'session' } : { at: 'run', afterCalls: Number(m[2]) };
}

/** The worker-name suffix that carries the fault in the page's query (empty when none). */
export function faultNameSuffix(search: string): string {
  const f = parseWebGpuFault(search);
  return !f ? '' : ` webgpu-fault=${f.at === 'session' ? 'session' : `run:${f.afterCalls}`}`;
}

export function simulateWebGpuFault(fault: WebGpuFault | null): void {
  armed = fault;
}

/** Throws when a session fault is armed (called before creating a WebGPU session). */
export function checkSessionFault(): void {
  if (armed?.at === 'session') throw new Error('simulated: WebGPU session creation failed');
}

/**
 * The model with its `method` failing after the armed number of calls, when a run fault
 * is armed; the model itself otherwise. Called for models loaded on WebGPU only.
 */
export function withRunFault<T extends object>(model: T, method: 'embed' | 'score'): T {
  if (armed?.at !== 'run') return model;
  let calls = 0;
  const limit = armed.afterCalls;
  return new Proxy(model, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== method || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        if (++calls > limit) return Promise.reject(new Error('simulated: the WebGPU device was lost'));
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}
