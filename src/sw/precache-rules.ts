// What the service worker precaches (shared by vite.config.ts, which hands the glob rules to
// vite-plugin-pwa, by sw.ts and by the tests). Workbox lists every matched file with its
// own revision (an MD5 of its bytes; none for files under assets/, whose names already carry
// a content hash), so a rebuild re-downloads only the files that changed.

/** ORT's asyncify build (27 MB), the one with the WebGPU EP: only WebGPU loads it (onnx-setup.ts). */
export const WEBGPU_ONLY = /(^|\/)ort-wasm-[^/]*\.asyncify[-.][^/]*$/;

/** The runtime lab (a bare page for e2e tests and the bench, not part of the app) and its entry chunk. */
const LAB = ['src/workers/embed/lab/**', 'assets/runtime-lab-*'];

export const precacheGlobs = {
  globPatterns: ['**/*'],
  globIgnores: ['**/*.map', '**/README.md', '**/.DS_Store', ...LAB],
  // ORT's WASM build is 14 MB, its WebGPU build 27 MB (listed, but cached only where WebGPU runs).
  maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
};
