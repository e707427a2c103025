// "Open demo": one click creates the demo project and imports public/demo (or, for the
// Japanese demo, public/demo-ja) through the same worker path as user files. Opening it
// again just goes there.
import { getDB } from '../db/db';
import { createProject, findDemoProject, touchProject } from '../db/projects';
import { demoFiles } from '../workers/import/client';
import { ensureDemoRun } from '../workers/mine/client';
import { useImportStore } from './imports';
import type { ImportResult } from '../workers/import/types';

const DEMO_GUIDELINES = `# Demo review guidelines

Queries are one-line Debian package summaries; documents are package descriptions.

- **Accept** (hard negative): a different package, even a close sibling (\`foo-doc\` for \`foo\`).
- **Positive**: the description is the same package (byte-identical descriptions exist: those are false negatives).
- **Skip** when you cannot tell.
`;

const DEMO_GUIDELINES_JA = `# デモのレビュー方針 (Japanese demo review guidelines)

クエリは Debian パッケージの短い説明（1 行）、文書はパッケージの長い説明です。
Queries are one-line Debian package summaries in Japanese; documents are package descriptions.

- **Accept**（ハードネガティブ）: 別のパッケージ。よく似た兄弟パッケージ（\`foo\` に対する \`foo-doc\`）も含みます。
- **Positive**: 同じパッケージの説明（同一の説明文を持つパッケージは偽のネガティブです）。
- **Skip**: 判断できないとき。

Highlights and the word diff cut Japanese text into words as the run's BM25 did.
`;

/** The bundled demos: the English slice, and the Japanese set (public/demo-ja). */
export type DemoSet = 'en' | 'ja';
const DEMOS: Record<DemoSet, { path: string; guidelines: string; label: string }> = {
  en: { path: 'demo/', guidelines: DEMO_GUIDELINES, label: 'Demo data' },
  ja: { path: 'demo-ja/', guidelines: DEMO_GUIDELINES_JA, label: 'Japanese demo data' },
};

export interface OpenedDemo {
  projectId: string;
  /** Present when this call created the project and started its import. */
  imported?: Promise<ImportResult>;
}

export async function openDemo(set: DemoSet = 'en'): Promise<OpenedDemo> {
  const db = getDB();
  const demoSet = set === 'en' ? undefined : set;
  const existing = await findDemoProject(db, demoSet);
  if (existing) {
    await touchProject(db, existing.id);
    return { projectId: existing.id };
  }
  const d = DEMOS[set];
  const demo = await demoFiles(`${import.meta.env.BASE_URL}${d.path}`);
  const project = await createProject(db, demo.name, { demo: true, demoSet, guidelines: d.guidelines });
  const imported = useImportStore
    .getState()
    .start(project.id, { kind: 'beir', files: demo.files }, d.label)
    .then((result) => {
      // The demo run starts from the import's completion, whichever page the user is on.
      if (result.status === 'done') void ensureDemoRun(project.id);
      return result;
    });
  return { projectId: project.id, imported };
}
