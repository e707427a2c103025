// Projects repository: create, list, rename, open (touch) and delete a project with
// every row that belongs to it.
import type { QuarryDB } from './db';
import type { ProjectRecord } from './schema';
import { newId } from './ids';
import { prefixRange } from './keyrange';
import { deleteProjectBlocks } from './corpus-blocks';

export const DEFAULT_GUIDELINES = `# Review guidelines

Accept a candidate as a **hard negative** when it is about something else than the query,
even if it shares words with it. Mark it **positive** when it answers the query as well as
the known positive does (a false negative). Skip when unsure.
`;

export async function createProject(
  db: QuarryDB,
  name: string,
  options: { demo?: boolean; demoSet?: 'ja'; guidelines?: string } = {},
): Promise<ProjectRecord> {
  const clean = name.trim();
  if (!clean) throw new Error('A project needs a name.');
  const now = Date.now();
  const project: ProjectRecord = {
    id: newId('p'),
    name: clean,
    createdAt: now,
    updatedAt: now,
    guidelines: options.guidelines ?? DEFAULT_GUIDELINES,
    ...(options.demo ? { demo: true } : {}),
    ...(options.demo && options.demoSet ? { demoSet: options.demoSet } : {}),
  };
  await db.projects.add(project);
  return project;
}

/** All projects, most recently used first. */
export async function listProjects(db: QuarryDB): Promise<ProjectRecord[]> {
  const all = await db.projects.toArray();
  return all.sort((a, b) => (b.updatedAt ?? b.createdAt) - (a.updatedAt ?? a.createdAt));
}

export function getProject(db: QuarryDB, id: string): Promise<ProjectRecord | undefined> {
  return db.projects.get(id);
}

export async function renameProject(db: QuarryDB, id: string, name: string): Promise<void> {
  const clean = name.trim();
  if (!clean) throw new Error('A project needs a name.');
  const n = await db.projects.update(id, { name: clean, updatedAt: Date.now() });
  if (n === 0) throw new Error(`No project with id ${id}.`);
}

/** Marks a project as just used (it moves to the top of the list). */
export async function touchProject(db: QuarryDB, id: string): Promise<void> {
  await db.projects.update(id, { updatedAt: Date.now() });
}

export async function setGuidelines(db: QuarryDB, id: string, guidelines: string): Promise<void> {
  await db.projects.update(id, { guidelines, updatedAt: Date.now() });
}

/** The bundled demo project, if it was opened before. */
/** The bundled demo project of a set (absent: the English demo), if it was opened before. */
export async function findDemoProject(db: QuarryDB, demoSet?: 'ja'): Promise<ProjectRecord | undefined> {
  return (await db.projects.toArray()).find((p) => p.demo && p.demoSet === demoSet);
}

/**
 * Deletes a project and every row of it in every table, in one transaction: either all
 * of it goes or nothing does.
 */
export async function deleteProject(db: QuarryDB, id: string): Promise<void> {
  const tables = [
    db.projects, db.corpusBlocks, db.corpusIndex, db.qrels, db.chunks, db.models, db.embeddings, db.runs,
    db.candidates, db.decisions, db.decisionEvents, db.importReports, db.jobs, db.imports, db.importStaged,
  ];
  await db.transaction('rw', tables, async () => {
    // Primary-key ranges delete in one request; index lookups iterate.
    await deleteProjectBlocks(db, id);
    await db.qrels
      .where('[projectId+split+queryId+docId]')
      .between(...prefixRange(id, 4), true, true)
      .delete();
    await db.chunks
      .where('[projectId+chunker+docId+idx]')
      .between(...prefixRange(id, 4), true, true)
      .delete();
    await db.embeddings
      .where('[projectId+modelKey+blockId]')
      .between(...prefixRange(id, 3), true, true)
      .delete();
    await db.models.where('projectId').equals(id).delete();
    const runIds = await db.runs.where('projectId').equals(id).primaryKeys();
    await db.candidates.where('runId').anyOf(runIds).delete();
    await db.candidates.where('projectId').equals(id).delete();
    await db.runs.bulkDelete(runIds);
    await db.decisions.where('projectId').equals(id).delete();
    await db.decisionEvents.where('projectId').equals(id).delete();
    await db.importReports.where('projectId').equals(id).delete();
    await db.jobs.where('projectId').equals(id).delete();
    const importIds = await db.imports.where('projectId').equals(id).primaryKeys();
    await db.importStaged.where('importId').anyOf(importIds).delete();
    await db.imports.bulkDelete(importIds);
    await db.projects.delete(id);
  });
}
