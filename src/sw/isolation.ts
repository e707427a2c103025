// Cross-origin isolation (COOP/COEP) gives us SharedArrayBuffer, which ONNX Runtime needs
// for multi-threaded WASM: without it inference silently drops to one thread. The dev and
// preview servers send these headers (vite.config.ts), and the service worker sets them on
// every response it serves (sw.ts), so an offline page stays isolated too.
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;
