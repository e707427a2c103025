import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy, cspPlugin } from './src/runtime/browser/csp';
import { quarryServiceWorker } from './src/sw/precache-plugin';

// Cross-origin isolation (COOP/COEP) gives us SharedArrayBuffer, which ONNX Runtime
// needs for multi-threaded WASM. Without it inference silently drops to one thread.
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  plugins: [react(), cspPlugin(), quarryServiceWorker()],
  server: { headers: isolationHeaders },
  // frame-ancestors lives in the header only (ignored in a meta tag); X-Frame-Options for old browsers.
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy('header'), 'X-Frame-Options': 'DENY' } },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['@huggingface/transformers', 'onnxruntime-web'] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // runtime-lab: a bare page that exposes the embedding worker to e2e tests and the bench.
    rollupOptions: { input: { main: 'index.html', 'runtime-lab': 'src/workers/embed/lab/index.html' } },
  },
});
