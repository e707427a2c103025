// Repository for mining runs, their candidates and the per-stage checkpoints that make a
// run resumable. The mining worker is the only writer of runs it created; Review reads.
//
// Resumability: every stage stores its result before it reports progress, in the same
// transaction, so whatever `run.stages[stage].done` says is exactly what is stored. A
// restarted worker reads `stages` and the checkpoints and continues from there.
// Checkpoints live in the generic `jobs` table (kind 'mine-checkpoint', id
// `mine:<runId>:<name>`), so no schema change was needed.
import type { CandidateRecord, JobRecord, MiningConfig, RunRecord } from './schema';
import type { QuarryDB } from './db';

export type RunStatus = RunRecord['status'];
export interface StageProgress {
  done: number;
  total: number;
  status?: string;
}

const CHECKPOINT_KIND = 'mine-checkpoint';
const checkpointPrefix = (runId: string) => `mine:${runId}:`;

/** A short, sortable, unique id (time + random), e.g. `run-lx3k9a-4f2c`. */
export function newRunId(now = Date.now()): string {
  const rnd = Math.floor(Math.random() * 0xffffff).toString(36).padStart(5, '0');
  return `run-${now.toString(36)}-${rnd}`;
}

export async function createRun(
  db: QuarryDB,
  init: { projectId: string; name: string; config: MiningConfig; id?: string },
): Promise<RunRecord> {
  const run: RunRecord = {
    id: init.id ?? newRunId(),
    projectId: init.projectId,
    name: init.name,
    createdAt: Date.now(),
    config: init.config,
    status: 'pending',
    stages: {},
  };
  await db.runs.add(run);
  return run;
}

export function getRun(db: QuarryDB, runId: string): Promise<RunRecord | undefined> {
  return db.runs.get(runId);
}

/** Runs of a project, newest first. */
export async function listRuns(db: QuarryDB, projectId: string): Promise<RunRecord[]> {
  const runs = await db.runs.where('projectId').equals(projectId).toArray();
  return runs.sort((a, b) => b.createdAt - a.createdAt);
}

/** Runs that were left running (tab closed, crash) or pending: candidates for resuming. */
export async function unfinishedRuns(db: QuarryDB, projectId: string): Promise<RunRecord[]> {
  return (await listRuns(db, projectId)).filter(isUnfinished);
}

const isUnfinished = (r: RunRecord) => r.status === 'running' || r.status === 'pending';

/** Unfinished runs of every project (the app resumes them at start, whichever page is open). */
export async function allUnfinishedRuns(db: QuarryDB): Promise<RunRecord[]> {
  return db.runs.filter(isUnfinished).toArray();
}

export async function setRunStatus(db: QuarryDB, runId: string, status: RunStatus, error?: string): Promise<void> {
  const patch: Partial<RunRecord> = { status };
  if (error !== undefined) patch.error = error;
  else if (status === 'running' || status === 'done') patch.error = undefined;
  await db.runs.update(runId, patch);
}

export async function setRunMetrics(db: QuarryDB, runId: string, metrics: RunRecord['metrics']): Promise<void> {
  await db.runs.update(runId, { metrics });
}

/** Records progress of one stage (key path update: other stages are untouched). */
export async function setStage(db: QuarryDB, runId: string, stage: string, progress: StageProgress): Promise<void> {
  await db.runs.update(runId, { [`stages.${stage}`]: progress } as Partial<RunRecord>);
}

// ---- checkpoints -------------------------------------------------------------------

/** Stores a named intermediate result of a run (retrieval lists of a member, etc.). */
export async function putCheckpoint(db: QuarryDB, run: Pick<RunRecord, 'id' | 'projectId'>, name: string, data: unknown): Promise<void> {
  const rec: JobRecord = {
    id: checkpointPrefix(run.id) + name,
    projectId: run.projectId,
    kind: CHECKPOINT_KIND,
    params: data,
    status: 'done',
    done: 1,
    total: 1,
    updatedAt: Date.now(),
  };
  await db.jobs.put(rec);
}

/** Stores a checkpoint and the stage progress it completes, atomically. */
export async function putCheckpointWithStage(
  db: QuarryDB,
  run: Pick<RunRecord, 'id' | 'projectId'>,
  name: string,
  data: unknown,
  stage: string,
  progress: StageProgress,
): Promise<void> {
  await db.transaction('rw', db.jobs, db.runs, async () => {
    await putCheckpoint(db, run, name, data);
    await setStage(db, run.id, stage, progress);
  });
}

export async function getCheckpoint<T>(db: QuarryDB, runId: string, name: string): Promise<T | undefined> {
  const rec = await db.jobs.get(checkpointPrefix(runId) + name);
  return rec?.params as T | undefined;
}

/** Checkpoints whose name starts with `namePrefix`, sorted by name. */
export async function listCheckpoints<T>(db: QuarryDB, runId: string, namePrefix = ''): Promise<Array<{ name: string; data: T }>> {
  const prefix = checkpointPrefix(runId);
  const recs = await db.jobs.where('id').startsWith(prefix + namePrefix).toArray();
  return recs
    .map((r) => ({ name: r.id.slice(prefix.length), data: r.params as T }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---- candidates --------------------------------------------------------------------

/**
 * Replaces the candidates of some queries of a run and records the stage progress, in
 * one transaction: after a crash either both are stored or neither.
 */
export async function putQueryCandidates(
  db: QuarryDB,
  runId: string,
  queryIds: string[],
  rows: CandidateRecord[],
  stage: string,
  progress: StageProgress,
): Promise<void> {
  await db.transaction('rw', db.candidates, db.runs, async () => {
    // One cursor over every query's key range, not one request per query (100 per batch).
    if (queryIds.length) await db.candidates.where('[runId+queryId]').anyOf(queryIds.map((q) => [runId, q])).delete();
    if (rows.length) await db.candidates.bulkPut(rows);
    await setStage(db, runId, stage, progress);
  });
}

export function candidatesOfQuery(db: QuarryDB, runId: string, queryId: string): Promise<CandidateRecord[]> {
  return db.candidates.where('[runId+queryId]').equals([runId, queryId]).sortBy('rank');
}

export function countCandidates(db: QuarryDB, runId: string): Promise<number> {
  return db.candidates.where('runId').equals(runId).count();
}

/** Deletes a run with its candidates and checkpoints (decisions outlive runs and are kept). */
export async function deleteRun(db: QuarryDB, runId: string): Promise<void> {
  await db.transaction('rw', db.runs, db.candidates, db.jobs, async () => {
    await db.candidates.where('runId').equals(runId).delete();
    await db.jobs.where('id').startsWith(checkpointPrefix(runId)).delete();
    await db.runs.delete(runId);
  });
}

/** Drops the checkpoints of a finished run (its candidates and metrics stay). */
export async function clearCheckpoints(db: QuarryDB, runId: string): Promise<void> {
  await db.jobs.where('id').startsWith(checkpointPrefix(runId)).delete();
}
