// Jobs that run in the page itself and have no stored record to watch (an export being
// built): the shell's activity indicator lists them next to imports and mining runs.
import { create } from 'zustand';

export interface PageJob {
  id: string;
  kind: 'export';
  projectId: string;
  label: string;
  /** Hash path of the page that runs it. */
  href: string;
  startedAt: number;
}

interface ActivityState {
  jobs: PageJob[];
  /** Registers a job for as long as `work` runs. */
  track<T>(job: Omit<PageJob, 'id' | 'startedAt'>, work: () => Promise<T>): Promise<T>;
}

let seq = 0;
export const useActivityStore = create<ActivityState>((set) => ({
  jobs: [],
  async track(job, work) {
    const id = `job-${++seq}`;
    set((s) => ({ jobs: [...s.jobs, { ...job, id, startedAt: Date.now() }] }));
    try {
      return await work();
    } finally {
      set((s) => ({ jobs: s.jobs.filter((j) => j.id !== id) }));
    }
  },
}));
