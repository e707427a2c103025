// Page-side client of the mining worker. One worker per tab, created on first use and
// kept for the tab's life (so mining continues while the user moves to another page).
// Durable state lives in IndexedDB (runs, candidates); this module adds live rates.
import * as Comlink from 'comlink';
import { useSyncExternalStore } from 'react';
import { getDB } from '../../db/db';
import { allUnfinishedRuns, createRun, listRuns, unfinishedRuns } from '../../db/runs';
import { hasCommittedData } from '../../db/import-status';
import type { MiningConfig, RunRecord } from '../../db/schema';
import { demoConfig, demoConfigJa, lockName, validateConfig } from './config';
import { getProject } from '../../db/projects';
import { splitsOf } from './data';
import type { LiveProgress } from './pipeline';
import type { MineWorkerApi } from './worker';

let worker: Worker | null = null;
let api: Comlink.Remote<MineWorkerApi> | null = null;

function getApi(): Comlink.Remote<MineWorkerApi> {
  if (!api) {
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'quarry-mine' });
    api = Comlink.wrap<MineWorkerApi>(worker);
    void api.onProgress(Comlink.proxy(onLive));
  }
  return api;
}

// ---- live progress (rates), per run and stage ------------------------------------------

const live = new Map<string, LiveProgress>();
/** The latest live progress of each run, whatever its stage (the shell's activity indicator). */
const latest = new Map<string, LiveProgress>();
const subscribers = new Set<() => void>();
let version = 0;
function onLive(p: LiveProgress) {
  live.set(`${p.runId}|${p.stage}`, p);
  latest.set(p.runId, p);
  version++;
  subscribers.forEach((s) => s());
}

function useLiveVersion(): number {
  return useSyncExternalStore(
    (cb) => {
      subscribers.add(cb);
      return () => subscribers.delete(cb);
    },
    () => version,
  );
}

/** Live progress of a stage of a run in this tab (rate, device), or undefined. */
export function useLiveProgress(runId: string | undefined, stage: string): LiveProgress | undefined {
  useLiveVersion();
  return runId ? live.get(`${runId}|${stage}`) : undefined;
}

/** The latest live progress of a run mined in this tab (its current stage), or undefined. */
export function useLatestLiveProgress(runId: string): LiveProgress | undefined {
  useLiveVersion();
  return latest.get(runId);
}

// ---- runs ------------------------------------------------------------------------------

const inFlight = new Map<string, Promise<RunRecord['status'] | 'busy'>>();

/** Runs (or resumes) a stored run in this tab's worker; resolves when it stops. */
export function resumeRun(runId: string): Promise<RunRecord['status'] | 'busy'> {
  let p = inFlight.get(runId);
  if (!p) {
    p = getApi()
      .run(runId)
      .finally(() => inFlight.delete(runId));
    inFlight.set(runId, p);
  }
  return p;
}

/** Creates a run from a config and starts it; returns the run id at once. */
export async function startRun(projectId: string, config: MiningConfig, name?: string): Promise<string> {
  const errors = validateConfig(config);
  if (errors.length) throw new Error(errors.join('; '));
  const run = await createRun(getDB(), { projectId, name: name ?? defaultRunName(config), config });
  void resumeRun(run.id);
  return run.id;
}

export async function cancelRun(runId: string): Promise<void> {
  if (api) await api.cancel(runId);
}

/** True when this tab or another one holds the run's lock (it is being mined right now). */
export async function isRunActive(runId: string): Promise<boolean> {
  if (inFlight.has(runId)) return true;
  const locks = navigator.locks;
  if (!locks) return false;
  const state = await locks.query();
  return (state.held ?? []).some((l) => l.name === lockName(runId));
}

/**
 * Resumes runs that were left 'running' or 'pending' (tab closed, reload) and that no tab
 * is mining now (nobody holds their lock): those of one project, or of every project (app
 * start). Returns the ids it resumed. Two tabs may both try: the run's lock lets one mine
 * it, the other's worker answers 'busy'.
 */
export async function resumeUnfinished(projectId?: string): Promise<string[]> {
  const db = getDB();
  const runs = projectId === undefined ? await allUnfinishedRuns(db) : await unfinishedRuns(db, projectId);
  const resumed: string[] = [];
  for (const r of runs) {
    if (await isRunActive(r.id)) continue;
    void resumeRun(r.id);
    resumed.push(r.id);
  }
  return resumed;
}

/**
 * The stakeholder demo: the first time the demo project is opened and it has no run,
 * start the default mining run (pkgs-minilm q8 + pkgs-static q8 + BM25, soft-z,
 * percpos:0.95, ranks 0:30, 5 negatives, pkgs-rerank flagging suspected false
 * negatives); if a run was interrupted, resume it. Returns the run id to show, or null
 * when the project already has finished runs or its data is not imported yet (the demo
 * import calls this again when it commits). Safe to call on every open.
 */
export function ensureDemoRun(projectId: string): Promise<string | null> {
  // One at a time per project: StrictMode effects and the import hook may call it together.
  const pending = demoChecks.get(projectId);
  if (pending) return pending;
  const p = ensureDemoRunOnce(projectId).finally(() => demoChecks.delete(projectId));
  demoChecks.set(projectId, p);
  return p;
}
const demoChecks = new Map<string, Promise<string | null>>();

async function ensureDemoRunOnce(projectId: string): Promise<string | null> {
  const db = getDB();
  const runs = await listRuns(db, projectId);
  if (!runs.length) {
    // While the demo import runs its rows are partly in the tables: a run started now
    // would fail ("no qrels") or, worse, mine part of the corpus.
    if (!(await hasCommittedData(db, projectId))) return null;
    const splits = await splitsOf(db, projectId);
    const split = splits.includes('dev') ? 'dev' : (splits[0] ?? 'dev');
    if ((await getProject(db, projectId))?.demoSet === 'ja') return startRun(projectId, demoConfigJa(split), 'Demo run (BM25, Japanese words)');
    return startRun(projectId, demoConfig(split), 'Demo run (default ensemble)');
  }
  await resumeUnfinished(projectId);
  const unfinished = runs.find((r) => r.status === 'running' || r.status === 'pending');
  return unfinished?.id ?? null;
}

export function defaultRunName(c: MiningConfig): string {
  const d = new Date();
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  return `${c.members.map((m) => m.name).join(' + ')} · ${c.strategy} · ${hh}:${mm}`;
}

/** Ends the worker (tests, or leaving the app). Stored progress stays. */
export function disposeMineWorker(): void {
  worker?.terminate();
  worker = null;
  api = null;
}
