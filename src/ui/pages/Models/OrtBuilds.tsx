// Which ONNX Runtime build runs here and what is cached for offline use: the WebGPU build
// (asyncify, 27 MB) only where the browser has a WebGPU adapter, the WASM build (14 MB)
// everywhere else (src/runtime/browser/onnx-setup.ts, src/sw/sw.ts).
import { useEffect, useState } from 'react';
import { adapterLabel, webGpuAdapterInfo, type AdapterInfo } from '../../../runtime/browser/device';
import { webGpuCacheStatus, type WebGpuCacheStatus } from '../../../sw/register';

export function OrtBuilds() {
  const [adapter, setAdapter] = useState<AdapterInfo | null | undefined>(undefined);
  const [cache, setCache] = useState<WebGpuCacheStatus | null>(null);
  useEffect(() => {
    let live = true;
    void webGpuAdapterInfo().then((a) => live && setAdapter(a));
    void webGpuCacheStatus().then((v) => live && setCache(v));
    return () => {
      live = false;
    };
  }, []);
  if (adapter === undefined) return null;
  return (
    <p className="muted ort-builds" data-testid="ort-builds">
      {adapter ? (
        <>
          WebGPU adapter found ({adapterLabel(adapter)}): models on device <code>auto</code> or <code>webgpu</code> run on
          WebGPU with ONNX Runtime&apos;s asyncify build (27 MB, the only one with the WebGPU backend). That build also runs
          models set to <code>wasm</code>, and any model whose WebGPU session fails, on WASM (CPU), with a notice.{' '}
          {!cache
            ? 'Caching it for offline use…'
            : cache.cachedFiles === null
              ? 'It is downloaded on first use (no service worker to cache it).'
              : cache.error
                ? `Caching it for offline use failed: ${cache.error}`
                : 'It is cached for offline use in this browser.'}
        </>
      ) : (
        <>
          No WebGPU adapter in this browser: models run on WASM (CPU) with ONNX Runtime&apos;s WASM-only build (14 MB, loads in
          about half the time). The 27 MB WebGPU build is neither downloaded nor cached here.
        </>
      )}
    </p>
  );
}
