// Whether a project's data is complete enough to be read by a job: at least one import
// committed and none running (in this tab or another). Rows of a running import are
// already in the tables (see imports.ts), so a job started then would read part of them.
import type { QuarryDB } from './db';

export async function hasCommittedData(db: QuarryDB, projectId: string): Promise<boolean> {
  const imports = await db.imports.where('projectId').equals(projectId).toArray();
  return imports.some((i) => i.status === 'committed') && !imports.some((i) => i.status === 'running');
}
