// "Open demo": one click creates the demo project and imports public/demo through the
// same worker path as user files. Opening it again just goes there.
import { getDB } from '../db/db';
import { createProject, findDemoProject, touchProject } from '../db/projects';
import { demoFiles } from '../workers/import/client';
import { useImportStore } from './imports';
import type { ImportResult } from '../workers/import/types';

const DEMO_GUIDELINES = `# Demo review guidelines

Queries are one-line Debian package summaries; documents are package descriptions.

- **Accept** (hard negative): a different package, even a close sibling (\`foo-doc\` for \`foo\`).
- **Positive**: the description is the same package (byte-identical descriptions exist: those are false negatives).
- **Skip** when you cannot tell.
`;

/** Listeners run after the demo data was imported for the first time (e.g. start a default mining run). */
const demoImportedListeners: Array<(projectId: string) => void> = [];
export function onDemoImported(fn: (projectId: string) => void): () => void {
  demoImportedListeners.push(fn);
  return () => {
    const i = demoImportedListeners.indexOf(fn);
    if (i >= 0) demoImportedListeners.splice(i, 1);
  };
}

export interface OpenedDemo {
  projectId: string;
  /** Present when this call created the project and started its import. */
  imported?: Promise<ImportResult>;
}

export async function openDemo(): Promise<OpenedDemo> {
  const db = getDB();
  const existing = await findDemoProject(db);
  if (existing) {
    await touchProject(db, existing.id);
    return { projectId: existing.id };
  }
  const demo = await demoFiles();
  const project = await createProject(db, demo.name, { demo: true, guidelines: DEMO_GUIDELINES });
  const imported = useImportStore
    .getState()
    .start(project.id, { kind: 'beir', files: demo.files }, 'Demo data')
    .then((result) => {
      if (result.status === 'done') for (const fn of [...demoImportedListeners]) fn(project.id);
      return result;
    });
  return { projectId: project.id, imported };
}
