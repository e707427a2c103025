import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { QuarryDB } from './db';
import { createProject, deleteProject, listProjects, renameProject, touchProject } from './projects';
import { corpusCounts, putDocuments, putQrels, putQueries } from './corpus';

const fresh = () => new QuarryDB(`projects-${Math.random()}`);

describe('projects repository', () => {
  it('creates, lists most recent first, renames and rejects empty names', async () => {
    const db = fresh();
    const a = await createProject(db, '  Alpha ');
    await new Promise((r) => setTimeout(r, 5));
    const b = await createProject(db, 'Beta');
    expect(a.name).toBe('Alpha');
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['Beta', 'Alpha']);
    await new Promise((r) => setTimeout(r, 5));
    await touchProject(db, a.id);
    expect((await listProjects(db)).map((p) => p.name)).toEqual(['Alpha', 'Beta']);
    await renameProject(db, b.id, 'Gamma');
    expect((await db.projects.get(b.id))?.name).toBe('Gamma');
    await expect(renameProject(db, b.id, '   ')).rejects.toThrow(/needs a name/);
    await expect(renameProject(db, 'nope', 'x')).rejects.toThrow(/No project/);
  });

  it('deletes every row of a project in every table and leaves other projects alone', async () => {
    const db = fresh();
    const gone = await createProject(db, 'Gone');
    const kept = await createProject(db, 'Kept');
    for (const p of [gone, kept]) {
      await putDocuments(db, p.id, [{ id: 'd1', title: 't', text: 'x' }, { id: 'd2', title: '', text: 'y' }]);
      await putQueries(db, p.id, [{ id: 'q1', text: 'q' }]);
      await putQrels(db, p.id, 'dev', [{ queryId: 'q1', docId: 'd1', score: 1 }]);
      await db.chunks.add({ projectId: p.id, chunker: 'paragraphs', docId: 'd1', idx: 0, text: 'x', start: 0, end: 1 });
      await db.embeddings.add({ projectId: p.id, modelKey: 'm', blockId: 0, ids: ['d:d1'], dim: 1, vectors: new Float32Array([1]) });
      const runId = `run-${p.id}`;
      await db.runs.add({
        id: runId, projectId: p.id, name: 'r', createdAt: 1, status: 'done', stages: {},
        config: { split: 'dev', members: [], fusion: 'rrf', strategy: 'topk', range: [0, 10], negatives: 1, randomNegatives: 0, chunk: 'none', depth: 10 },
      });
      await db.candidates.add({ runId, projectId: p.id, queryId: 'q1', docId: 'd2', rank: 1, fused: 1, members: {}, flags: [] });
      await db.decisions.add({ projectId: p.id, queryId: 'q1', docId: 'd2', reviewer: 'me', label: 'accept', at: 1, runId });
      await db.decisionEvents.add({ projectId: p.id, queryId: 'q1', docId: 'd2', reviewer: 'me', label: 'accept', previous: null, at: 1, runId });
      await db.importReports.add({ projectId: p.id, at: 1, files: [], counts: {}, issues: [], status: 'done' });
      await db.jobs.add({ id: `job-${p.id}`, projectId: p.id, kind: 'embed', params: null, status: 'done', done: 1, total: 1, updatedAt: 1 });
      await db.models.add({ id: `m-${p.id}`, projectId: p.id, name: 'm', kind: 'bi-encoder', source: { type: 'hub', hubId: 'x' }, settings: { pooling: 'mean', normalize: true, queryPrefix: '', docPrefix: '', maxLength: 256, dtype: 'q8', device: 'auto' }, createdAt: 1 });
      await db.imports.add({ id: `imp-${p.id}`, projectId: p.id, status: 'committed', startedAt: 1, updatedAt: 1, files: [], freshTables: [] });
      await db.importStaged.add({ importId: `imp-${p.id}`, seq: 0, table: 'documents', rows: [] });
    }
    const tables = db.tables.map((t) => t.name);
    const before: Record<string, number> = {};
    for (const t of tables) before[t] = await db.table(t).count();

    await deleteProject(db, gone.id);

    for (const t of tables) {
      const rows = await db.table(t).toArray();
      // Every table had one project's worth of rows per project; exactly half remain and none are Gone's.
      expect(rows.length, t).toBe(before[t] / 2);
      expect(rows.some((r) => r.projectId === gone.id || r.id === gone.id), t).toBe(false);
    }
    expect(await corpusCounts(db, kept.id)).toEqual({
      documents: 2, queries: 1, qrels: 1, splits: { dev: { qrels: 1, queries: 1, positives: 1 } },
    });
  });
});
