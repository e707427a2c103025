// Review fixture data: a project with documents, queries, qrels and a mined run with
// candidates, written straight into the db. Used by unit tests, by the e2e test (through
// window.__quarryTest) and by the benchmark, until real runs come from the Mine page.
// Deterministic: the same options give the same rows.
import type { QuarryDB } from '../../../db/db';
import { putRecords } from '../../../db/corpus';
import type { CandidateFlag } from '../../../core/types';
import type { CandidateRecord, DocumentRecord, ProjectRecord, QrelRecord, QueryRecord, RunRecord } from '../../../db/schema';

export interface ReviewFixture {
  project: ProjectRecord;
  run: RunRecord;
  documents: DocumentRecord[];
  queries: QueryRecord[];
  qrels: QrelRecord[];
  candidates: CandidateRecord[];
}

export interface FixtureOptions {
  projectId?: string;
  runId?: string;
  queries?: number;
  candidatesPerQuery?: number;
  guidelines?: string;
  /**
   * A later mining round of the same project: same queries, positives and siblings,
   * other random candidates (seeded differently), created `variant` hours later.
   */
  variant?: number;
}

const TOPICS = [
  ['compression', 'library', 'zlib', 'deflate', 'stream'],
  ['compiler', 'gnu', 'c', 'optimising', 'code'],
  ['editor', 'text', 'vim', 'terminal', 'modal'],
  ['fonts', 'truetype', 'glyphs', 'unicode', 'rendering'],
  ['python', 'module', 'bindings', 'interpreter', 'package'],
  ['network', 'tcp', 'daemon', 'socket', 'server'],
  ['image', 'png', 'jpeg', 'viewer', 'thumbnails'],
  ['database', 'sql', 'client', 'query', 'tables'],
];
const FILLER = 'this package provides the files needed for development and contains documentation examples and tools'.split(' ');

/** A tiny deterministic PRNG (mulberry32) so fixtures are reproducible. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeFixture(opts: FixtureOptions = {}): ReviewFixture {
  const projectId = opts.projectId ?? 'review-fixture';
  const runId = opts.runId ?? 'review-fixture-run';
  const nq = opts.queries ?? 12;
  const per = opts.candidatesPerQuery ?? 8;
  const variant = opts.variant ?? 0;
  const rand = rng(42 + variant);
  const siblingRand = rng(7);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const documents: DocumentRecord[] = [];
  const queries: QueryRecord[] = [];
  const qrels: QrelRecord[] = [];
  const candidates: CandidateRecord[] = [];
  const pad = (i: number) => String(i).padStart(4, '0');
  const sentence = (topic: readonly string[], n: number, r = rand) =>
    Array.from({ length: n }, () => (r() < 0.45 ? topic[Math.floor(r() * topic.length)] : FILLER[Math.floor(r() * FILLER.length)])).join(' ');
  for (let qi = 0; qi < nq; qi++) {
    const topic = TOPICS[qi % TOPICS.length];
    const qid = `q${pad(qi)}`;
    const name = `${topic[2]}${qi}`;
    queries.push({ projectId, id: qid, text: `${topic[0]} ${topic[1]} for ${topic[2]} ${qi}` });
    // Every fifth query has a long positive (several paragraphs) to exercise best-passage display.
    const long = qi % 5 === 4;
    const posText = long
      ? Array.from({ length: 12 }, (_, p) => `${sentence(p === 7 ? topic : FILLER, 40, siblingRand)}.`).join('\n\n')
      : `${topic[0]} ${topic[1]} ${sentence(topic, 24, siblingRand)}.`;
    documents.push({ projectId, id: `${name}`, title: name, text: posText });
    qrels.push({ projectId, split: 'train', queryId: qid, docId: name, score: 1, source: 'import' });
    for (let ci = 0; ci < per; ci++) {
      const sibling = ci < 2;
      const did = sibling ? `${name}-${ci === 0 ? 'doc' : 'data'}` : `${pick(TOPICS)[2]}-${qi}-${ci}`;
      const text = sibling ? `${posText.split('\n\n')[0].replace(/\.$/, '')} (${ci === 0 ? 'documentation' : 'data files'}).` : `${sentence(pick(TOPICS), 20)}.`;
      documents.push({ projectId, id: did, title: did, text });
      const flags: CandidateFlag[] = [];
      if (ci === 0) flags.push('near-duplicate');
      if (ci === 1 && qi % 3 === 0) flags.push('suspected-false-negative');
      if (ci === per - 1) flags.push('random');
      const fused = Math.round((0.95 - ci * 0.07 - rand() * 0.02) * 1000) / 1000;
      const mRank = ci + 1;
      const bRank = ci % 3 === 2 ? null : Math.max(1, per - ci + Math.floor(rand() * 3));
      candidates.push({
        runId,
        projectId,
        queryId: qid,
        docId: did,
        rank: ci + 1,
        fused,
        members: {
          'pkgs-minilm': { rank: mRank, score: Math.round((0.9 - ci * 0.05) * 1000) / 1000 },
          bm25: { rank: bRank, score: bRank === null ? null : Math.round((14 - ci) * 100) / 100 },
        },
        ce: Math.round((6 - ci * 1.1 + rand()) * 100) / 100,
        cePositive: 7.5,
        flags,
        ...(long && ci === 0 ? { chunk: { idx: 7, text: posText.split('\n\n')[7] } } : {}),
      });
    }
  }
  const project: ProjectRecord = {
    id: projectId,
    name: 'Review fixture',
    createdAt: 1_700_000_000_000,
    guidelines:
      opts.guidelines ??
      '# Review guidelines\n\nAccept a candidate as a **hard negative** when it is about something *else* than the query.\n\n- Mark it **positive** (`p`) when it answers the query as well as the positive.\n- Reject (`x`) near-identical siblings that are in fact the same package.\n- Skip (`space`) when unsure.\n',
  };
  const run: RunRecord = {
    id: runId,
    projectId,
    name: variant ? `fixture run, round ${variant + 1}` : 'fixture run',
    createdAt: 1_700_000_100_000 + variant * 3_600_000,
    config: {
      split: 'train',
      members: [
        { spec: 'dense:pkgs-minilm', name: 'pkgs-minilm', weight: 1 },
        { spec: 'bm25', name: 'bm25', weight: 1 },
      ],
      fusion: 'soft-z',
      strategy: 'topk',
      range: [1, 30],
      negatives: per,
      randomNegatives: 1,
      reranker: 'pkgs-rerank',
      chunk: 'none',
      depth: 100,
    },
    status: 'done',
    stages: {},
  };
  return { project, run, documents, queries, qrels, candidates };
}

/** Writes a fixture (replacing rows with the same keys) in chunked transactions. */
export async function seedFixture(db: QuarryDB, f: ReviewFixture): Promise<void> {
  await db.transaction('rw', [db.projects, db.runs], async () => {
    await db.projects.put(f.project);
    await db.runs.put(f.run);
  });
  const chunk = 5000;
  await putRecords(db, f);
  for (let i = 0; i < f.candidates.length; i += chunk) await db.candidates.bulkPut(f.candidates.slice(i, i + chunk));
}
