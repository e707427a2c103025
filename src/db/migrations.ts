// Numbered schema versions. Never edit a released version: add a new one with an
// upgrade function, and a test in migrations.test.ts that opens data written by the
// previous version.
import type Dexie from 'dexie';
import type { ProjectRecord } from './schema';

export const SCHEMA_V1 = {
  projects: 'id, name, createdAt',
  documents: '[projectId+id], projectId',
  queries: '[projectId+id], projectId',
  qrels: '[projectId+split+queryId+docId], projectId, [projectId+split], [projectId+queryId], [projectId+docId]',
  chunks: '[projectId+chunker+docId+idx], [projectId+chunker]',
  models: 'id, projectId',
  embeddings: '[projectId+modelKey+blockId], [projectId+modelKey], projectId',
  runs: 'id, projectId, createdAt',
  candidates: '[runId+queryId+docId], runId, projectId, [runId+queryId]',
  decisions: '[projectId+queryId+docId+reviewer], projectId, [projectId+queryId], [projectId+reviewer], at',
  decisionEvents: '++seq, projectId, [projectId+reviewer]',
  importReports: '++id, projectId',
  jobs: 'id, projectId, status',
};

/**
 * v2: projects get `updatedAt` (indexed, for "recently used" order; existing projects
 * take their createdAt), and the import journal tables `imports` + `importUndo` that
 * make imports atomic (see src/db/imports.ts).
 */
export const SCHEMA_V2 = {
  projects: 'id, name, createdAt, updatedAt',
  imports: 'id, projectId, status',
  importUndo: '[importId+seq], importId',
};

export function applyMigrations(db: Dexie): void {
  db.version(1).stores(SCHEMA_V1);
  db.version(2)
    .stores(SCHEMA_V2)
    .upgrade(async (tx) => {
      await tx
        .table<ProjectRecord, string>('projects')
        .toCollection()
        .modify((p) => {
          p.updatedAt ??= p.createdAt;
        });
    });
}
