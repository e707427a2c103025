// `--chunk` on long documents: on the manual pages (median ~400 words, some 50k) a dense
// member scoring each page by its best chunk (MaxP over the first chunks, each chunk carrying
// the page title) must beat the same member on pages truncated to 256 tokens.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { run } from '../main';

const SHARED = process.env.QUARRY_SHARED ?? resolve(process.cwd(), '../shared');
const cache = mkdtempSync(join(tmpdir(), 'quarry-chunk-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

async function ndcg(chunk: string): Promise<number> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), cwd: process.cwd() };
  const code = await run(
    ['eval', '--data', resolve(SHARED, 'data/manpages'), '--split', 'dev', '--member', `dense:${resolve(SHARED, 'models/pkgs-static')}`, '--chunk', chunk, '--cache', cache, '--json'],
    io,
  );
  expect(code, stderr).toBe(0);
  if (chunk !== 'none') expect(stderr).toMatch(/2407 documents → \d+ chunks \(tokens, first 8 per document\)/);
  return JSON.parse(stdout).members['pkgs-static']['ndcg@10'];
}

it('tokens:200:50 MaxP beats truncation on manual pages (pkgs-static)', async () => {
  const unchunked = await ndcg('none');
  const chunked = await ndcg('tokens:200:50');
  console.info('[chunking] manpages dev nDCG@10', { unchunked, chunked });
  expect(unchunked).toBeGreaterThan(0.45); // measured 0.538
  expect(chunked).toBeGreaterThan(unchunked + 0.005); // measured 0.557
}, 1_200_000);
