// `quarry mine` exports checked with each consumer's own loading rules
// (src/core/formats/export/consumer-rules.ts), on a small slice of the Debian data.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AutoTokenizer } from '@huggingface/transformers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagFileProblems, rerankerGroupProblems, stCollatorProblems } from '../../core/formats/export/consumer-rules';
import { withModelSource } from '../../runtime/model-source';
import { localModelSource } from '../../runtime/node/local-model';
import { debianSlice, MODELS, quarry, readJsonl, type DebianSlice } from '../test-support/debian-slice';

const TIMEOUT = 600_000;
let slice: DebianSlice;

beforeAll(() => {
  slice = debianSlice(8);
});
afterAll(() => rmSync(slice.dir, { recursive: true, force: true }));

const mine = (...extra: string[]) => quarry('mine', '--data', slice.data, '--split', 'dev', '--member', 'bm25', '--negatives', '2', ...extra);

describe('quarry mine --format lce', () => {
  it("writes the reranker tokenizer's ids (no specials, cut to max_len) that luyug/Reranker loads", async () => {
    const out = join(slice.dir, 'groups.jsonl');
    const r = await mine('--reranker', `${MODELS.rerank}:dtype=q8:max_len=48`, '--denoise', 'none', '--format', 'lce', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const rows = readJsonl(out);
    expect(rows.length).toBe(slice.queries.length);
    for (const row of rows) expect(rerankerGroupProblems(row, 48)).toEqual([]);
    // The same ids the tokenizer gives without special tokens, cut to 48 - 3 ([CLS] q [SEP] d [SEP]).
    const src = localModelSource(MODELS.rerank, 'q8');
    const tok = await withModelSource(src, () => AutoTokenizer.from_pretrained(src.id));
    const texts = new Map(slice.queries.map((q) => [q.id, q.text]));
    let cut = 0;
    for (const row of rows as Array<{ qry: { qid: string; query: number[] }; pos: Array<{ passage: number[] }> }>) {
      expect(row.qry.query).toEqual(tok.encode(texts.get(row.qry.qid)!, { add_special_tokens: false }).slice(0, 45));
      for (const p of row.pos) {
        expect(p.passage.length).toBeLessThanOrEqual(45);
        expect(p.passage).not.toContain(tok.sep_token_id);
        if (p.passage.length === 45) cut++;
      }
    }
    expect(cut).toBeGreaterThan(0);
  }, TIMEOUT);

  it('refuses lce without a reranker and names lce-text', async () => {
    const r = await mine('--format', 'lce', '--out', join(slice.dir, 'x.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format lce writes token ids.*--reranker.*lce-text/);
  });
});

describe('quarry mine --format flag / flag-reranker', () => {
  it('--random-negatives with --reranker: random negatives are scored too, every row keeps pos_scores/neg_scores', async () => {
    const out = join(slice.dir, 'flag.jsonl');
    const r = await mine('--reranker', `${MODELS.rerank}:dtype=q8`, '--denoise', 'none', '--random-negatives', '2', '--format', 'flag', '--prompt', 'Represent this summary: ', '--with-ids', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const rows = readJsonl(out);
    expect(rows.length).toBe(slice.queries.length);
    const plain = rows.map(({ query_id, positive_id, negative_ids, ...rest }) => (void [query_id, positive_id, negative_ids], rest));
    expect(flagFileProblems(plain, { target: 'embedder', distill: true })).toEqual([]);
    for (const row of rows) {
      expect((row.neg as string[]).length).toBe(4);
      expect(row.prompt).toBe('Represent this summary: ');
    }
  }, TIMEOUT);

  it('flag-reranker puts --prompt in query_prompt; --prompt with another format is refused', async () => {
    const out = join(slice.dir, 'flag-rr.jsonl');
    const r = await mine('--format', 'flag-reranker', '--prompt', 'Given a package summary', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const rows = readJsonl(out);
    expect(flagFileProblems(rows, { target: 'reranker', distill: false })).toEqual([]);
    expect(rows[0].query_prompt).toBe('Given a package summary');
    const bad = await mine('--format', 'st-triplet', '--prompt', 'x', '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--prompt is written only by --format flag or flag-reranker');
  }, TIMEOUT);
});

describe('quarry mine sentence-transformers formats', () => {
  it('st-ntuple-scores: cross-encoder score lists, ids in FILE.ids.jsonl, rows the collator accepts', async () => {
    const out = join(slice.dir, 'scores.jsonl');
    const r = await mine('--reranker', `${MODELS.rerank}:dtype=q8`, '--denoise', 'none', '--format', 'st-ntuple-scores', '--with-ids', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const rows = readJsonl(out);
    expect(rows.length).toBe(slice.queries.length);
    for (const row of rows) {
      expect(stCollatorProblems(row)).toEqual([]);
      expect(Object.keys(row)).toEqual(['anchor', 'positive', 'negative_1', 'negative_2', 'score']);
      expect((row.score as number[]).length).toBe(3);
    }
    const ids = readJsonl(join(slice.dir, 'scores.ids.jsonl'));
    expect(ids.length).toBe(rows.length);
    for (const id of ids) expect(slice.qrels.get(id.query_id as string)).toContain(id.positive_id);
    const bad = await mine('--format', 'st-ntuple-scores', '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format st-ntuple-scores writes cross-encoder scores: give --reranker');
  }, TIMEOUT);
});

describe('quarry rank --format trec', () => {
  it('writes a TREC run file as trec_eval / pytrec_eval / ranx parse it: qid Q0 docid rank score tag', async () => {
    const out = join(slice.dir, 'run.trec');
    const r = await quarry('rank', '--data', slice.data, '--member', 'bm25', '--top', '5', '--format', 'trec', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => l.split(/\s+/));
    expect(lines.length).toBe(slice.queries.length * 5);
    const byQuery = new Map<string, string[][]>();
    for (const f of lines) {
      expect(f).toHaveLength(6);
      expect(f[1]).toBe('Q0');
      expect(Number.isFinite(Number(f[4]))).toBe(true);
      byQuery.set(f[0], [...(byQuery.get(f[0]) ?? []), f]);
    }
    expect([...byQuery.keys()].sort()).toEqual(slice.queries.map((q) => q.id).sort());
    for (const rows of byQuery.values()) {
      expect(rows.map((f) => Number(f[3]))).toEqual([1, 2, 3, 4, 5]);
      for (let i = 1; i < rows.length; i++) expect(Number(rows[i - 1][4])).toBeGreaterThanOrEqual(Number(rows[i][4]));
    }
  }, TIMEOUT);
});

describe('quarry mine with several formats', () => {
  it('writes each format from one mining and cross-encoder pass: the same scores in both files', async () => {
    const out = join(slice.dir, 'multi.jsonl');
    const r = await mine('--reranker', `${MODELS.rerank}:dtype=q8`, '--denoise', 'none', '--format', 'flag,st-ntuple-scores', '--format', 'parquet', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    // one scoring pass: the cross-encoder stage logs once, however many formats are written
    expect(r.stderr.match(/cross-encoder: \d+ pairs/g) ?? []).toHaveLength(1);
    const flag = readJsonl(join(slice.dir, 'multi.flag.jsonl'));
    const scores = readJsonl(join(slice.dir, 'multi.st-ntuple-scores.jsonl'));
    expect(readFileSync(join(slice.dir, 'multi.parquet')).subarray(0, 4).toString()).toBe('PAR1');
    expect(scores.length).toBe(flag.length);
    flag.forEach((f, i) => expect(scores[i].score).toEqual([...(f.pos_scores as number[]), ...(f.neg_scores as number[])]));
    expect(r.stderr).toMatch(/wrote \d+ flag rows to .*multi\.flag\.jsonl/);
    const bad = await mine('--format', 'flag,nope', '--out', out);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('got "nope"');
  }, TIMEOUT);
});

describe('quarry mine --cache for cross-encoder scores', () => {
  it('a second run with the same --cache scores no pair and writes the same file', async () => {
    const cache = join(slice.dir, 'cache');
    const a = join(slice.dir, 'cached-a.jsonl');
    const b = join(slice.dir, 'cached-b.jsonl');
    const args = ['--reranker', `${MODELS.rerank}:dtype=q8`, '--denoise', 'none', '--format', 'flag', '--cache', cache];
    const first = await mine(...args, '--out', a);
    expect(first.code, first.stderr).toBe(0);
    const m1 = first.stderr.match(/cross-encoder cache: (\d+) pairs scored, (\d+) from the cache/)!;
    expect(Number(m1[1])).toBeGreaterThan(0);
    const second = await mine(...args, '--out', b);
    expect(second.code, second.stderr).toBe(0);
    const m2 = second.stderr.match(/cross-encoder cache: (\d+) pairs scored, (\d+) from the cache/)!;
    expect(Number(m2[1])).toBe(0);
    expect(Number(m2[2])).toBeGreaterThan(0);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
  }, TIMEOUT);
});
