// Hash routing: `#/` is the project list, `#/p/<projectId>/<page>[/<runId>[/<queryId>]]` a page of a
// project. Hash routes need no server support (vite preview, file hosting, offline).
import { useSyncExternalStore } from 'react';

export const PAGES = ['data', 'models', 'mine', 'review', 'evaluate', 'export'] as const;
export type PageName = (typeof PAGES)[number];

export type Route =
  | { kind: 'projects' }
  | { kind: 'project'; projectId: string; page: PageName; runId?: string; queryId?: string }
  | { kind: 'not-found'; path: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { kind: 'projects' };
  if (parts[0] === 'p' && parts[1]) {
    const page = (parts[2] ?? 'data') as PageName;
    if (!PAGES.includes(page)) return { kind: 'not-found', path };
    return { kind: 'project', projectId: parts[1], page, ...(parts[3] ? { runId: parts[3] } : {}), ...(parts[3] && parts[4] ? { queryId: parts[4] } : {}) };
  }
  return { kind: 'not-found', path };
}

/**
 * The hash path of a project page, e.g. projectPath('p-1', 'review', 'run-2', 'q-7') =
 * `/p/p-1/review/run-2/q-7` (a link to one query of a run, for a reviewer to send).
 */
export function projectPath(projectId: string, page: PageName = 'data', runId?: string, queryId?: string): string {
  const parts = ['p', projectId, page, ...(runId ? [runId] : []), ...(runId && queryId ? [queryId] : [])];
  return '/' + parts.map(encodeURIComponent).join('/');
}

/** Goes to a path like `/p/<id>/review/<runId>` (or `/` for the project list). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const hash = '#' + (path.startsWith('/') ? path : `/${path}`);
  if (options.replace) {
    history.replaceState(history.state, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
