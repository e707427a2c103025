// Content Security Policy of the production build. Everything comes from our own origin;
// the only outside hosts allowed are the Hugging Face Hub's, for the "Hugging Face id"
// model source (nothing is fetched from them unless a user adds a hub model).
// - 'wasm-unsafe-eval': compiling ONNX Runtime's WebAssembly.
// - blob: in script-src/worker-src: transformers.js turns the cached ORT factory (.mjs)
//   into a blob: URL and ORT starts its pthread workers from it.
// Delivered as a <meta http-equiv> injected into index.html at build time (production
// only, so dev HMR's inline scripts keep working) and as a header by `vite preview`, which
// also covers worker scripts (a meta tag does not reach workers).
import type { Plugin } from 'vite';

export const HUB_HOSTS = ['https://huggingface.co', 'https://*.huggingface.co', 'https://*.hf.co'];

/**
 * The policy. `delivery: 'header'` adds `frame-ancestors 'none'` (no origin may frame the
 * app: clickjacking a reviewer's keys); browsers ignore that directive in a <meta> tag, so
 * the header is where it takes effect, and whoever serves the build must send it.
 */
export function contentSecurityPolicy(delivery: 'meta' | 'header' = 'meta'): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' blob:",
    "worker-src 'self' blob:",
    `connect-src 'self' blob: data: ${HUB_HOSTS.join(' ')}`,
    "img-src 'self' data: blob:",
    // React and chart libraries set style attributes; no remote stylesheets.
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    ...(delivery === 'header' ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}

/** Vite plugin: inject the CSP meta tag into built HTML pages (not in dev). */
export function cspPlugin(): Plugin {
  return {
    name: 'quarry-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy() },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}
