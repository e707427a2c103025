import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy, cspPlugin } from './src/runtime/browser/csp';
import { isolationHeaders } from './src/sw/isolation.ts';
import { precacheGlobs } from './src/sw/precache-rules.ts';

export default defineConfig({
  plugins: [
    react(),
    cspPlugin(),
    // The service worker (src/sw/sw.ts): Workbox's precache with a revision per file.
    // register.ts registers it (production only); no web app manifest.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: false,
      injectManifest: precacheGlobs,
    }),
  ],
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
