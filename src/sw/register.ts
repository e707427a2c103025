// Registers the service worker in production builds only: in dev, Vite serves modules on
// the fly and a cache-first worker would pin stale code.
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  const url = `${import.meta.env.BASE_URL}sw.js`;
  navigator.serviceWorker.register(url, { scope: import.meta.env.BASE_URL }).catch((err: unknown) => {
    // Offline support is a bonus: the app still works online without it.
    console.warn('Quarry: service worker registration failed', err);
  });
}

registerServiceWorker();
