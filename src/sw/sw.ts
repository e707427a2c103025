// Quarry's service worker, built by vite-plugin-pwa (injectManifest: Workbox writes the list
// of built files, each with its own revision, into self.__WB_MANIFEST; precache-rules.ts says
// which files).
//
// - Install: Workbox's precache fetches only the entries it does not hold yet (a new URL or a
//   new revision), so a rebuild re-downloads the files that changed, not the whole app: the
//   app shell, workers, ONNX Runtime's WASM build, the bundled models and the demo projects.
//   ORT's WebGPU build (asyncify, 27 MB) is listed but left out of the precache: only a
//   browser with a WebGPU adapter loads it, so it is cached when the page finds an adapter
//   (message 'quarry:cache-webgpu', sent by register.ts) or on first use.
// - Fetch: precached files are served from the cache; navigations get index.html (hash
//   routing), except .html pages that are not precached (the runtime lab), left to the
//   network. Other requests are not answered here, so Hugging Face downloads keep
//   transformers.js' own Cache Storage and test tooling that intercepts requests sees them.
// - Every response served from here carries COOP/COEP/CORP, or the page loses cross-origin
//   isolation offline and ONNX Runtime silently drops to one WASM thread.
import { clientsClaim, setCacheNameDetails, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { isolationHeaders } from './isolation';
import { WEBGPU_ONLY } from './precache-rules';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

// Caches are named quarry-precache-v2-<scope> and quarry-webgpu-<scope>.
setCacheNameDetails({ prefix: 'quarry' });
const scope = self.registration.scope; // e.g. "https://host/" or "https://host/quarry/"
const WEBGPU_CACHE = `quarry-webgpu-${scope}`;

const manifest = self.__WB_MANIFEST;
const urlOf = (e: PrecacheEntry | string) => (typeof e === 'string' ? e : e.url);
const webgpuFiles = manifest.filter((e) => WEBGPU_ONLY.test(urlOf(e))).map((e) => new URL(urlOf(e), scope).href);
const webgpuSet = new Set(webgpuFiles);

function isolated(response: Response): Response {
  // An opaque or error response has no headers to set; leave it as it is.
  if (response.type === 'opaque' || response.type === 'error') return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(isolationHeaders)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolate: WorkboxPlugin = { handlerWillRespond: async ({ response }) => isolated(response) };

self.skipWaiting();
clientsClaim();
cleanupOutdatedCaches();
addPlugins([isolate]);
precacheAndRoute(manifest.filter((e) => !WEBGPU_ONLY.test(urlOf(e))));

// Hash routing: one document for every page. A path ending in .html that is not precached
// (the runtime lab) is a page of its own: the network serves it.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/\.html$/] }));

/** ORT's WebGPU build: from its own cache, else the network (kept for offline use). */
async function webgpuFile(request: Request): Promise<Response> {
  const cache = await caches.open(WEBGPU_CACHE);
  const hit = await cache.match(request.url);
  if (hit) return isolated(hit);
  const response = await fetch(request);
  if (response.ok) await cache.put(request.url, response.clone());
  return isolated(response);
}
registerRoute(({ url }) => webgpuSet.has(url.href), ({ request }) => webgpuFile(request));

// transformers.js probes optional model files; offline, a network error there would abort
// model loading where a 404 just means "not present".
registerRoute(
  ({ url }) => url.href.startsWith(scope + 'models/'),
  ({ request }) => fetch(request).then(isolated, () => new Response('not cached', { status: 404, headers: isolationHeaders })),
);

/** Caches ORT's WebGPU build (the files not cached yet); resolves to how many are cached. */
async function cacheWebGpuFiles(): Promise<number> {
  const cache = await caches.open(WEBGPU_CACHE);
  for (const url of webgpuFiles) {
    if (!(await cache.match(url))) await cache.add(new Request(url, { cache: 'reload' }));
  }
  return webgpuFiles.length;
}

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // The hand-written worker before this one kept everything in quarry-precache-<16 hex>.
      for (const name of await caches.keys()) if (/^quarry-precache-[0-9a-f]{16}$/.test(name)) await caches.delete(name);
      // A WebGPU build of an older release (its file names carry their content hash).
      if (await caches.has(WEBGPU_CACHE)) {
        const cache = await caches.open(WEBGPU_CACHE);
        for (const request of await cache.keys()) if (!webgpuSet.has(request.url)) await cache.delete(request);
      }
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data !== 'quarry:cache-webgpu') return;
  event.waitUntil(
    cacheWebGpuFiles().then(
      (files) => event.source?.postMessage({ type: 'quarry:webgpu-cached', files }),
      (err: unknown) => event.source?.postMessage({ type: 'quarry:webgpu-cached', files: 0, error: String(err) }),
    ),
  );
});
