// window.__quarryTest.export: lets e2e tests seed a run with decisions through the page
// (the same IndexedDB the app uses). Installed only under automation (testing/automation.ts).
import { getDB } from '../../../db/db';
import { putRecords } from '../../../db/corpus';
import { underAutomation } from '../../testing/automation';
import type { DecisionRecord, JobRecord } from '../../../db/schema';
import type { ReviewFixture } from '../Review/fixture';

/** A review fixture's rows plus the decisions made on them. */
export interface ExportSeed extends ReviewFixture {
  decisions: DecisionRecord[];
  /** Optional mining checkpoints (retrieval lists), for the Evaluate page. */
  jobs?: JobRecord[];
}

export function installExportTestHook(): void {
  if (!underAutomation()) return;
  const hook = {
    async seed(rows: ExportSeed): Promise<void> {
      const db = getDB();
      await db.transaction('rw', [db.projects, db.runs, db.candidates, db.decisions, db.jobs], async () => {
        await db.projects.put(rows.project);
        await db.runs.put(rows.run);
        await db.candidates.bulkPut(rows.candidates);
        await db.decisions.bulkPut(rows.decisions);
        if (rows.jobs?.length) await db.jobs.bulkPut(rows.jobs);
      });
      await putRecords(db, rows);
    },
  };
  const w = window as unknown as { __quarryTest?: Record<string, unknown> };
  w.__quarryTest = { ...(w.__quarryTest ?? {}), export: hook };
}
