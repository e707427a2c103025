// UI state of imports: the running import per project (progress, cancel), and the data
// version pages watch to re-read counts and lists when an import ends. The version is read
// from IndexedDB through a Dexie liveQuery, so it changes when an import commits or rolls
// back in this tab, its worker, or any other tab. This store holds only what the screen shows.
import { useLiveQuery } from 'dexie-react-hooks';
import { create } from 'zustand';
import { getDB } from '../db/db';
import { importsVersion } from '../db/imports';
import { startImport } from '../workers/import/client';
import type { ImportProgress, ImportRequest, ImportResult } from '../workers/import/types';

/**
 * e2e tests that act during an import (second tab, crash, cancel) slow it down with
 * `window.__quarryTest.importPaceMs`; only a browser driven by automation reads it.
 */
function testImportPace(): number | undefined {
  if (typeof navigator === 'undefined' || navigator.webdriver !== true) return undefined;
  const pace = (globalThis as { __quarryTest?: { importPaceMs?: unknown } }).__quarryTest?.importPaceMs;
  return typeof pace === 'number' ? pace : undefined;
}

export interface ImportJob {
  label: string;
  startedAt: number;
  progress?: ImportProgress;
  result?: ImportResult;
  running: boolean;
  cancelling?: boolean;
  cancel: () => void;
}

interface ImportState {
  jobs: Record<string, ImportJob | undefined>;
  /** Starts an import in a worker; resolves when it is over (done, failed or cancelled). */
  start: (projectId: string, req: ImportRequest, label: string) => Promise<ImportResult>;
  dismiss: (projectId: string) => void;
}

export const useImportStore = create<ImportState>((set, get) => ({
  jobs: {},
  start: async (projectId, req, label) => {
    if (get().jobs[projectId]?.running) throw new Error('An import into this project is already running.');
    const patch = (p: Partial<ImportJob>) =>
      set((s) => {
        const job = s.jobs[projectId];
        return job ? { jobs: { ...s.jobs, [projectId]: { ...job, ...p } } } : s;
      });
    const running = startImport(projectId, req, (progress) => patch({ progress }), testImportPace());
    set((s) => ({
      jobs: {
        ...s.jobs,
        [projectId]: {
          label,
          startedAt: Date.now(),
          running: true,
          cancel: () => {
            patch({ cancelling: true });
            running.cancel();
          },
        },
      },
    }));
    let result: ImportResult;
    try {
      result = await running.result;
    } catch (err) {
      // The worker itself died (e.g. failed to load); the import rolled back or never began.
      result = { status: 'failed', counts: {}, issueCount: 0, ms: 0, error: err instanceof Error ? err.message : String(err) };
    }
    patch({ running: false, cancelling: false, result });
    return result;
  },
  dismiss: (projectId) => set((s) => ({ jobs: { ...s.jobs, [projectId]: undefined } })),
}));

/**
 * Changes whenever an import of the project (or, without a project, of any project)
 * begins, commits or rolls back, wherever that happened.
 */
export function useDataVersion(projectId?: string): string {
  return useLiveQuery(() => importsVersion(getDB(), projectId), [projectId], '');
}
