// Recovery at app start, in every tab and whatever page it opens on: work that a closed
// tab, browser or crash cut short is found by its Web Lock being free (src/db/locks.ts),
// not by a time window. Imports are rolled back (they were never visible); mining runs
// resume in this tab's worker (what they stored is checkpointed).
import { getDB } from '../db/db';
import { recoverImports, type RecoveryResult } from '../db/imports';
import { resumeUnfinished } from '../workers/mine/client';

export interface StartRecovery {
  imports?: RecoveryResult;
  /** Recovery of imports itself failed (e.g. the database could not be opened). */
  importError?: string;
  /** Runs this tab resumed. */
  resumedRuns: string[];
}

let started: Promise<StartRecovery> | null = null;

/** Runs once per tab (StrictMode calls effects twice). */
export function recoverAtStart(): Promise<StartRecovery> {
  started ??= (async () => {
    const out: StartRecovery = { resumedRuns: [] };
    try {
      out.imports = await recoverImports(getDB());
    } catch (err) {
      out.importError = err instanceof Error ? err.message : String(err);
    }
    out.resumedRuns = await resumeUnfinished().catch(() => []);
    return out;
  })();
  return started;
}
