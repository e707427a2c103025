/* Quarry service worker (generated into dist/sw.js at build time by precache-plugin.ts;
 * this file is its template, plain JS because it runs as-is in the browser).
 *
 * - Install: caches every built file (app shell, workers, ONNX Runtime's WASM build, the
 *   bundled models under /models/, the demo project) in one versioned cache, except
 *   ORT's WebGPU build (asyncify, 27 MB): only a browser with a WebGPU adapter loads it, so
 *   it is cached when the page finds an adapter (message 'quarry:cache-webgpu', sent by
 *   register.ts) or on first use, never on a browser that will not run it.
 * - Fetch: precached same-origin files are served cache-first; navigations get the cached
 *   index.html (hash routing: one document for every page). Anything else is left to the
 *   network untouched (no respondWith), so Hugging Face downloads keep using
 *   transformers.js' own Cache Storage, and test tooling that intercepts requests still sees them.
 * - Every response served from here carries COOP/COEP/CORP, or the page loses cross-origin
 *   isolation offline and ONNX Runtime silently drops to one WASM thread.
 * - Activate: deletes older precaches of this app only (never transformers-cache).
 */
const VERSION = '__QUARRY_VERSION__';
const PRECACHE = /** @type {string[]} */ (__QUARRY_PRECACHE__);
const WEBGPU_FILES = /** @type {string[]} */ (__QUARRY_WEBGPU_FILES__);
const CACHE_PREFIX = 'quarry-precache-';
const CACHE = CACHE_PREFIX + VERSION;
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const scopePath = new URL(self.registration.scope).pathname; // e.g. "/" or "/quarry/"
const precached = new Set(PRECACHE.map((p) => scopePath + p));
const webgpuOnly = new Set(WEBGPU_FILES.map((p) => scopePath + p));
const indexPath = scopePath + 'index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // cache: 'reload' bypasses the HTTP cache so a new version never stores stale bytes.
      await cache.addAll(PRECACHE.map((p) => new Request(scopePath + p, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

function isolated(response) {
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function fromCache(path, request, keep = false) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(path, { ignoreSearch: true });
  if (hit) return isolated(hit);
  const response = await fetch(request);
  // keep: a WebGPU-only file fetched because WebGPU runs here: cache it for offline use.
  if (keep && response.ok) await cache.put(path, response.clone());
  return isolated(response);
}

/** Caches ORT's WebGPU build (the files not cached yet); resolves to how many are cached. */
async function cacheWebGpuFiles() {
  const cache = await caches.open(CACHE);
  for (const p of WEBGPU_FILES) {
    if (!(await cache.match(scopePath + p))) await cache.add(new Request(scopePath + p, { cache: 'reload' }));
  }
  return WEBGPU_FILES.length;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname.startsWith(scopePath)) {
    // A built page of its own (e.g. the runtime lab) is served as itself; every other
    // path gets the app's index.html (hash routing).
    const own = precached.has(url.pathname) ? url.pathname : precached.has(url.pathname + 'index.html') ? url.pathname + 'index.html' : null;
    event.respondWith(fromCache(own ?? indexPath, request));
    return;
  }
  if (precached.has(url.pathname) || webgpuOnly.has(url.pathname)) {
    event.respondWith(fromCache(url.pathname, request, webgpuOnly.has(url.pathname)));
    return;
  }
  // transformers.js probes optional model files; offline, a network error there would
  // abort model loading where a 404 just means "not present".
  if (url.pathname.startsWith(scopePath + 'models/')) {
    event.respondWith(
      fetch(request).then(isolated, () => new Response('not cached', { status: 404, headers: ISOLATION })),
    );
  }
});

self.addEventListener('message', (event) => {
  if (event.data === 'quarry:version') event.source?.postMessage({ type: 'quarry:version', version: VERSION, files: PRECACHE.length });
  if (event.data === 'quarry:cache-webgpu') {
    event.waitUntil(
      cacheWebGpuFiles().then(
        (files) => event.source?.postMessage({ type: 'quarry:webgpu-cached', files }),
        (err) => event.source?.postMessage({ type: 'quarry:webgpu-cached', files: 0, error: String(err) }),
      ),
    );
  }
});
