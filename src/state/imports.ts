// UI state of imports: the running import per project (progress, cancel) and a data
// version per project that pages watch to re-read counts and lists once an import ends.
// The data itself lives in IndexedDB; this store only holds what the screen shows.
import { create } from 'zustand';
import { startImport } from '../workers/import/client';
import type { ImportProgress, ImportRequest, ImportResult } from '../workers/import/types';

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
  dataVersion: Record<string, number>;
  /** Starts an import in a worker; resolves when it is over (done, failed or cancelled). */
  start: (projectId: string, req: ImportRequest, label: string) => Promise<ImportResult>;
  dismiss: (projectId: string) => void;
  bump: (projectId: string) => void;
}

export const useImportStore = create<ImportState>((set, get) => ({
  jobs: {},
  dataVersion: {},
  start: async (projectId, req, label) => {
    if (get().jobs[projectId]?.running) throw new Error('An import into this project is already running.');
    const patch = (p: Partial<ImportJob>) =>
      set((s) => {
        const job = s.jobs[projectId];
        return job ? { jobs: { ...s.jobs, [projectId]: { ...job, ...p } } } : s;
      });
    const running = startImport(projectId, req, (progress) => patch({ progress }));
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
    get().bump(projectId);
    return result;
  },
  dismiss: (projectId) => set((s) => ({ jobs: { ...s.jobs, [projectId]: undefined } })),
  bump: (projectId) => set((s) => ({ dataVersion: { ...s.dataVersion, [projectId]: (s.dataVersion[projectId] ?? 0) + 1 } })),
}));

export function useDataVersion(projectId: string): number {
  return useImportStore((s) => s.dataVersion[projectId] ?? 0);
}
