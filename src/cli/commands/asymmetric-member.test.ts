// An asymmetric dense member (`dense:A:query_model=B`): documents by A, queries by B. With
// the embedding cache, changing the query model alone must embed no document again, only
// the queries. Data: a slice of the demo (public/demo: 30 dev queries, their positives and
// every 20th document); models: the bundled q8 pkgs-static (documents) and pkgs-minilm
// (queries), both 256-dim.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { run } from '../main';

const DEMO = resolve(process.cwd(), 'public/demo');
const STATIC = resolve(process.cwd(), 'public/models/pkgs-static');
const MINILM = resolve(process.cwd(), 'public/models/pkgs-minilm');
let dir = '';
let docCount = 0;

async function quarry(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: process.cwd() });
  return { code, stdout, stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'quarry-asym-'));
  const gz = (f: string) => gunzipSync(readFileSync(join(DEMO, f))).toString('utf8').split('\n').filter(Boolean);
  const dev = readFileSync(join(DEMO, 'qrels/dev.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const qids = [...new Set(dev.map((r) => r[0]))].filter((_, i) => i % 10 === 0);
  const rows = dev.filter((r) => qids.includes(r[0]));
  const positives = new Set(rows.map((r) => r[1]));
  const docs = gz('corpus.jsonl.gz').filter((l, i) => i % 20 === 0 || positives.has((JSON.parse(l) as { _id: string })._id));
  docCount = docs.length;
  const queries = gz('queries.jsonl.gz').filter((l) => qids.includes((JSON.parse(l) as { _id: string })._id));
  mkdirSync(join(dir, 'data/qrels'), { recursive: true });
  writeFileSync(join(dir, 'data/corpus.jsonl'), docs.join('\n') + '\n');
  writeFileSync(join(dir, 'data/queries.jsonl'), queries.join('\n') + '\n');
  writeFileSync(join(dir, 'data/qrels/dev.tsv'), ['query-id\tcorpus-id\tscore', ...rows.map((r) => r.join('\t'))].join('\n') + '\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const evalWith = (member: string) => quarry('eval', '--data', join(dir, 'data'), '--member', member, '--cache', join(dir, 'cache'), '--json');

it('a query-model-only change reuses the cached document vectors and embeds the queries again', async () => {
  const plain = await evalWith(`dense:${STATIC}:dtype=q8`);
  expect(plain.code, plain.stderr).toBe(0);
  expect(plain.stderr).toContain(`pkgs-static: documents from cache 0, embedded ${docCount}`);
  expect(plain.stderr).toContain('pkgs-static: queries from cache 0, embedded 30');

  const asym = await evalWith(`dense:${STATIC}:dtype=q8:query_model=${MINILM}`);
  expect(asym.code, asym.stderr).toBe(0);
  const name = 'pkgs-static(q:pkgs-minilm)';
  // Documents: all from the cache the plain member filled. Queries: new, by the query model.
  expect(asym.stderr).toContain(`${name}: documents from cache ${docCount}, embedded 0`);
  expect(asym.stderr).toContain(`${name}: queries from cache 0, embedded 30`);
  expect(asym.stderr).toContain(`embedding 30 queries with ${MINILM}`);
  const a = JSON.parse(asym.stdout).members[name]['ndcg@10'];
  const p = JSON.parse(plain.stdout).members['pkgs-static']['ndcg@10'];
  // Another query encoder over the same document vectors ranks differently.
  expect(a).not.toBeCloseTo(p, 6);

  const again = await evalWith(`dense:${STATIC}:dtype=q8:query_model=${MINILM}`);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stderr).toContain(`${name}: documents from cache ${docCount}, embedded 0`);
  expect(again.stderr).toContain(`${name}: queries from cache 30, embedded 0`);
  expect(JSON.parse(again.stdout).members[name]['ndcg@10']).toBeCloseTo(a, 9);
}, 600_000);
