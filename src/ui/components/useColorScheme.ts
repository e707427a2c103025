// The colour scheme the page is drawn in (the app follows prefers-color-scheme), for the few
// places that need a colour value rather than a CSS variable: chart fills and legend swatches.
import { useSyncExternalStore } from 'react';

export type ColorScheme = 'light' | 'dark';

const QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => {};
  const mq = matchMedia(QUERY);
  mq.addEventListener('change', onChange);
  return () => mq.removeEventListener('change', onChange);
}

const current = (): ColorScheme => (typeof matchMedia === 'function' && matchMedia(QUERY).matches ? 'dark' : 'light');

export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribe, current, () => 'light');
}
