// Registers the service worker in production builds only: in dev, Vite serves modules on
// the fly and a cache-first worker would pin stale code. Where the browser has a WebGPU
// adapter, it then asks the worker to cache ORT's WebGPU build too (sw.ts).
import { webGpuAdapterInfo, type AdapterInfo } from '../runtime/browser/device';

export interface WebGpuCacheStatus {
  adapter: AdapterInfo | null;
  /** ORT WebGPU files the service worker holds for offline use; null without a service worker. */
  cachedFiles: number | null;
  error?: string;
}

let status: Promise<WebGpuCacheStatus> | null = null;

/** Whether this browser runs WebGPU, and whether ORT's WebGPU build is cached (asked once per page). */
export function webGpuCacheStatus(): Promise<WebGpuCacheStatus> {
  status ??= (async () => {
    const adapter = await webGpuAdapterInfo();
    if (!adapter || !import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return { adapter, cachedFiles: null };
    // ready never settles where registration failed or service workers are blocked.
    const reg = await Promise.race([navigator.serviceWorker.ready, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    const sw = reg?.active;
    if (!sw) return { adapter, cachedFiles: null };
    return new Promise<WebGpuCacheStatus>((resolve) => {
      const onReply = (e: MessageEvent) => {
        const data = e.data as { type?: string; files?: number; error?: string };
        if (data?.type !== 'quarry:webgpu-cached') return;
        navigator.serviceWorker.removeEventListener('message', onReply);
        resolve({ adapter, cachedFiles: data.files ?? 0, error: data.error });
      };
      navigator.serviceWorker.addEventListener('message', onReply);
      sw.postMessage('quarry:cache-webgpu');
    });
  })();
  return status;
}

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const url = `${import.meta.env.BASE_URL}sw.js`;
  navigator.serviceWorker.register(url, { scope: import.meta.env.BASE_URL }).then(
    () => void webGpuCacheStatus(),
    (err: unknown) => {
      // Offline support is a bonus: the app still works online without it.
      console.warn('Quarry: service worker registration failed', err);
    },
  );
}

registerServiceWorker();
