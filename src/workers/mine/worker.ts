// Mining worker entry. One worker per tab runs mining runs one after another; a Web Lock
// per run (`quarry-mine:<runId>`) makes sure two tabs never run the same run at once
// (the second tab just watches the stored progress).
import * as Comlink from 'comlink';
import { getDB } from '../../db/db';
import { runMining, type LiveProgress } from './pipeline';
import { browserEmbedPort, browserRerankPort } from './browser-ports';
import type { RunRecord } from '../../db/schema';
import { lockName } from './config';


const controllers = new Map<string, AbortController>();
let listener: ((p: LiveProgress) => void) | null = null;

const api = {
  /**
   * Runs or resumes a run; resolves with its final status, or 'busy' when another tab
   * holds the run's lock.
   */
  async run(runId: string): Promise<RunRecord['status'] | 'busy'> {
    if (controllers.has(runId)) return 'busy';
    const ctrl = new AbortController();
    controllers.set(runId, ctrl);
    try {
      const locks = (globalThis.navigator as Navigator | undefined)?.locks;
      const go = () =>
        runMining(
          { db: getDB(), embed: browserEmbedPort, rerank: browserRerankPort, signal: ctrl.signal, onProgress: (p) => listener?.(p) },
          runId,
        );
      if (!locks) return await go();
      const result = await locks.request(lockName(runId), { ifAvailable: true }, async (lock) => (lock ? go() : 'busy' as const));
      return result;
    } finally {
      controllers.delete(runId);
    }
  },
  /** Asks a run to stop after the batch in progress; what is stored stays. */
  cancel(runId: string): boolean {
    const c = controllers.get(runId);
    c?.abort();
    return Boolean(c);
  },
  running(): string[] {
    return [...controllers.keys()];
  },
  onProgress(cb: ((p: LiveProgress) => void) | null): void {
    listener = cb;
  },
};

export type MineWorkerApi = typeof api;
Comlink.expose(api);
