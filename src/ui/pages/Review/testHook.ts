// window.__quarryTest.review: lets e2e tests and the benchmark seed review data through
// the page itself (the same IndexedDB the app uses). Installed only under automation
// (testing/automation.ts); even then it can only write the fixture project or rows the
// caller passes in.
import { getDB } from '../../../db/db';
import { putRecords } from '../../../db/corpus';
import { underAutomation } from '../../testing/automation';
import { makeFixture, seedFixture, type FixtureOptions, type ReviewFixture } from './fixture';
import type { DecisionRecord } from '../../../db/schema';
import { countReads, resetReadCounts, type ReadCounts } from '../../../db/read-counter';

export interface ReviewTestHook {
  seedFixture(opts?: FixtureOptions): Promise<{ projectId: string; runId: string; candidates: number }>;
  /** Writes rows in bulk (used by the benchmark to load a full-corpus run in pieces). */
  seedRows(rows: Partial<ReviewFixture>): Promise<void>;
  decisions(projectId: string): Promise<unknown[]>;
  /** Number of candidates stored for a run (the benchmark reuses a seeded profile). */
  countCandidates(runId: string): Promise<number>;
  /** Stores decisions with their log events, as decide() writes them (the benchmark's "already reviewed" share). */
  seedDecisions(rows: DecisionRecord[]): Promise<void>;
  /** Deletes a project's decisions and their log (benchmark reruns start from zero). */
  clearDecisions(projectId: string): Promise<void>;
  /** Records read per table since the last reset (rows of get/getMany/query; cursors opened). */
  readCounts(): ReadCounts;
  resetReadCounts(): void;
}

declare global {
  interface Window {
    __quarryTest?: { review?: ReviewTestHook } & Record<string, unknown>;
  }
}

export function installReviewTestHook(): void {
  if (!underAutomation()) return;
  // Installed before the app first opens the database (App.tsx calls this at load).
  const reads = countReads(getDB());
  const hook: ReviewTestHook = {
    async seedFixture(opts) {
      const f = makeFixture(opts);
      await seedFixture(getDB(), f);
      return { projectId: f.project.id, runId: f.run.id, candidates: f.candidates.length };
    },
    async seedRows(rows) {
      const db = getDB();
      await db.transaction('rw', [db.projects, db.runs, db.candidates], async () => {
        if (rows.project) await db.projects.put(rows.project);
        if (rows.run) await db.runs.put(rows.run);
        if (rows.candidates?.length) await db.candidates.bulkPut(rows.candidates);
      });
      await putRecords(db, rows);
    },
    decisions: (projectId) => getDB().decisions.where('projectId').equals(projectId).toArray(),
    async seedDecisions(rows) {
      const db = getDB();
      await db.transaction('rw', db.decisions, db.decisionEvents, async () => {
        await db.decisions.bulkPut(rows);
        await db.decisionEvents.bulkAdd(rows.map((d) => ({ projectId: d.projectId, queryId: d.queryId, docId: d.docId, reviewer: d.reviewer, label: d.label, previous: null, at: d.at, runId: d.runId })));
      });
    },
    countCandidates: (runId) => getDB().candidates.where('runId').equals(runId).count(),
    async clearDecisions(projectId) {
      const db = getDB();
      await db.transaction('rw', db.decisions, db.decisionEvents, db.qrels, async () => {
        await db.decisions.where('projectId').equals(projectId).delete();
        await db.decisionEvents.where('projectId').equals(projectId).delete();
        await db.qrels.where('projectId').equals(projectId).filter((q) => q.source === 'review').delete();
      });
    },
    readCounts: () => JSON.parse(JSON.stringify(reads)) as ReadCounts,
    resetReadCounts: () => resetReadCounts(reads),
  };
  window.__quarryTest = { ...(window.__quarryTest ?? {}), review: hook };
}
