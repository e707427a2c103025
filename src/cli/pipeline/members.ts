// Running the ensemble's members over a corpus from the CLI: load each SPEC's model (or build
// BM25), embed/index the corpus, retrieve every query's top list, and keep what mining needs
// to score pairs outside those lists.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Bm25Index } from '../../core/bm25';
import type { ChunkSpec } from '../../core/chunking';
import type { TextEmbedder, TextRole } from '../../core/models';
import { dimMismatch, documentEncoder, queryEncoder, uniqueMemberNames, type MemberSpec } from '../../core/spec/member-spec';
import type { Doc, Hit, Query } from '../../core/types';
import { docText } from '../../core/types';
import { loadEmbedder } from '../../runtime/embedder';
import { nodeSessionOptions } from '../../runtime/node/local-model';
import { withEmbeddingCache } from '../cache/embedding-cache';
import { openCliModel, loadFromFolder } from './model-load';
import { applyFolderSettings } from '../../core/spec/st-metadata';
import { buildDenseIndex, denseIndex, type DenseIndex } from './dense-member';
import { concatVectors } from '../../core/fusion';

/**
 * Per-member retrieval depth (core mining/depth.ts). 100 because recall@100 is reported for
 * every member and for the ensemble, and because fusion scores the union of the members'
 * lists: a document a member ranks 60th still carries its vote. Deeper lists cost little
 * (exact top-k keeps a heap per query) but shift the per-query z-score statistics soft-z
 * fusion normalises with.
 */
export { MEMBER_DEPTH } from '../../core/mining/depth';

/** The concatenated-embeddings member (`--concat`): built from the named dense members. */
export interface ConcatSpec {
  kind: 'concat';
  of: string[];
}

export interface MemberRun {
  name: string;
  spec: MemberSpec | ConcatSpec;
  /** query id → this member's top list, best first. */
  lists: Map<string, Hit[]>;
  /** This member's raw score of any (query, document) pair of the run (undefined if unknown). */
  score(queryId: string, docId: string): number | undefined;
  /** Dense members: cosine between two documents (best chunk pair when chunking). */
  docDoc?(a: string, b: string): number | undefined;
  /** Dense members: the cache key of the embedder. */
  key?: string;
  seconds: number;
}

export interface RunMembersOptions {
  depth: number;
  chunk: ChunkSpec;
  /** Chunks kept per document (0 = all); default DEFAULT_MAX_CHUNKS. */
  maxChunks?: number;
  /** Folder for the embedding cache; none → embed everything. */
  cacheDir?: string;
  cwd: string;
  /** Progress lines (stderr). */
  log: (line: string) => void;
  /**
   * Also build the member `concat`: the dense members' vectors concatenated, each scaled by
   * √(weight / Σ weights) with these weights (one per spec, in order; BM25's are ignored).
   */
  concat?: { weights: number[] };
}

export async function runMembers(specs: MemberSpec[], docs: readonly Doc[], queries: readonly Query[], opts: RunMembersOptions): Promise<MemberRun[]> {
  const names = uniqueMemberNames(specs);
  const runs: MemberRun[] = [];
  const dense: Array<{ name: string; index: DenseIndex; qv: Float32Array; weight: number }> = [];
  for (let m = 0; m < specs.length; m++) {
    const spec = specs[m];
    const name = names[m];
    const t0 = performance.now();
    if (spec.kind === 'bm25') {
      const index = Bm25Index.build(docs.map((d) => ({ id: d.id, text: docText(d) })), { k1: spec.k1, b: spec.b, tokenizer: spec.tokenizer });
      opts.log(`${name}: indexed ${docs.length} documents (k1=${spec.k1}, b=${spec.b}, tokenizer=${index.params.tokenizer}${spec.tokenizer === 'auto' ? ' (auto)' : ''})`);
      const lists = new Map<string, Hit[]>();
      const qtext = new Map<string, string>();
      for (const q of queries) {
        lists.set(q.id, index.search(q.text, opts.depth));
        qtext.set(q.id, q.text);
      }
      const seconds = (performance.now() - t0) / 1000;
      opts.log(`${name}: ${queries.length} queries searched in ${seconds.toFixed(1)} s`);
      runs.push({
        name,
        spec,
        lists,
        score: (qid, docId) => {
          const t = qtext.get(qid);
          return t === undefined ? undefined : index.scoreDoc(t, docId);
        },
        seconds,
      });
      continue;
    }
    // An asymmetric member (query_model=…) embeds documents with its document encoder, whose
    // cache key is the plain member's, so changing the query model alone re-embeds queries only.
    const embedder = await openDenseEmbedder(documentEncoder(spec), opts, name);
    const queryEmbedder = spec.queryModel ? await openDenseEmbedder(queryEncoder(spec), opts, name) : embedder;
    const mismatch = dimMismatch(spec, embedder.dim, queryEmbedder.dim);
    if (mismatch) throw new Error(mismatch);
    opts.log(`${name}: embedding ${docs.length} documents (${spec.dtype}, max ${spec.maxLen} tokens, ${availableParallelism()} threads)`);
    const index = await buildDenseIndex(embedder, docs, opts.chunk, (l) => opts.log(`${name}: ${l}`), opts.maxChunks);
    opts.log(`${name}: embedding ${queries.length} queries${spec.queryModel ? ` with ${spec.queryModel}` : ''}`);
    const qv = await queryEmbedder.embed(queries.map((q) => q.text), 'query');
    const tSearch = performance.now();
    const run = denseRun(name, spec, index, qv, queries, opts.depth, embedder.key);
    const seconds = (performance.now() - t0) / 1000;
    opts.log(`${name}: exact top-${opts.depth} over ${index.units} vectors in ${((performance.now() - tSearch) / 1000).toFixed(1)} s; member done in ${seconds.toFixed(1)} s`);
    runs.push({ ...run, seconds });
    dense.push({ name, index, qv, weight: opts.concat?.weights[m] ?? 1 });
  }
  if (opts.concat) runs.push(concatRun(dense, queries, opts));
  return runs;
}

/** A dense retriever's lists and pair scores over its index (exact cosine top-k per query). */
function denseRun(name: string, spec: MemberRun['spec'], index: DenseIndex, qv: Float32Array, queries: readonly Query[], depth: number, key?: string): MemberRun {
  const found = index.search(qv, queries.length, depth);
  const lists = new Map<string, Hit[]>();
  const row = new Map<string, number>();
  queries.forEach((q, i) => {
    lists.set(q.id, found[i]);
    row.set(q.id, i);
  });
  return {
    name,
    spec,
    lists,
    score: (qid, docId) => {
      const r = row.get(qid);
      return r === undefined ? undefined : index.scoreDoc(qv, r, docId);
    },
    docDoc: (a, b) => index.docDoc(a, b),
    ...(key ? { key } : {}),
    seconds: 0,
  };
}

/**
 * The `concat` member (arXiv 2505.18366): document and query vectors of every dense member
 * side by side (core concatVectors), searched exactly like one dense model. Its cosine is the
 * weighted mean of the members' cosines, over every document of the corpus.
 */
function concatRun(dense: Array<{ name: string; index: DenseIndex; qv: Float32Array; weight: number }>, queries: readonly Query[], opts: RunMembersOptions): MemberRun {
  if (dense.length < 2) throw new Error(`--concat needs at least two dense members (got ${dense.length})`);
  const t0 = performance.now();
  const first = dense[0];
  for (const d of dense.slice(1)) {
    const same = d.index.unitIds.length === first.index.unitIds.length && d.index.unitIds.every((id, i) => id === first.index.unitIds[i]);
    if (!same) throw new Error(`--concat: ${d.name} cut the documents into other chunks than ${first.name} (token windows of another tokenizer): use --chunk none or paragraphs`);
  }
  const docs = concatVectors(dense.map((d) => ({ vectors: d.index.vectors, dim: d.index.dim, weight: d.weight })), first.index.units);
  const qs = concatVectors(dense.map((d) => ({ vectors: d.qv, dim: d.index.dim, weight: d.weight })), queries.length);
  const index = denseIndex(first.index.unitIds, first.index.docUnits, docs.vectors, docs.dim, first.index.chunked);
  const run = denseRun('concat', { kind: 'concat', of: dense.map((d) => d.name) }, index, qs.vectors, queries, opts.depth);
  const seconds = (performance.now() - t0) / 1000;
  opts.log(`concat: ${dense.map((d) => `${d.name} ×${d.weight}`).join(' + ')} → dim ${docs.dim}; exact top-${opts.depth} in ${seconds.toFixed(1)} s`);
  return { ...run, seconds };
}

/** The embedder settings a dense member SPEC asks for, in Node (shared with the bench). */
export function denseEmbedderSettings(spec: Extract<MemberSpec, { kind: 'dense' }>) {
  return {
    dtype: spec.dtype,
    pooling: spec.pooling,
    normalize: spec.normalize,
    queryPrefix: spec.queryPrefix,
    docPrefix: spec.docPrefix,
    maxLen: spec.maxLen,
    queryMaxLen: spec.queryMaxLen,
    sessionOptions: nodeSessionOptions(),
  };
}

/**
 * Loads a dense member's model from its folder, behind the disk cache when one is given. A
 * sentence-transformers folder's own pooling, prompts and normalisation apply where the SPEC
 * wrote none (each one logged with the file it came from); weights: the SPEC's dtype, else
 * what the folder has.
 */
async function openDenseEmbedder(asked: Extract<MemberSpec, { kind: 'dense' }>, opts: RunMembersOptions, name: string): Promise<TextEmbedder> {
  const model = openCliModel(opts.cwd, asked.model, asked.dtype, asked.given.includes('dtype'));
  const { spec, notes } = applyFolderSettings({ ...asked, dtype: model.dtype }, model.folder);
  if (model.dtype !== asked.dtype) opts.log(`${name}: ${asked.model} has no ${asked.dtype} weights; using ${model.dtype}`);
  for (const n of notes) opts.log(`${name}: ${n}`);
  for (const p of model.folder.problems) opts.log(`${name}: warning: ${p}`);
  const source = model.source;
  let lastLog = 0;
  const progress = (role: string, done: number, total: number, rate?: number) => {
    const now = performance.now();
    if (done < total && now - lastLog < 5000) return;
    lastLog = now;
    opts.log(`${name}: ${role} ${done}/${total}${rate ? ` (${rate.toFixed(0)}/s)` : ''}`);
  };
  const embedder = await loadFromFolder(opts.cwd, spec.model, spec.dtype, () =>
    loadEmbedder(source, {
      ...denseEmbedderSettings(spec),
      onProgress: opts.cacheDir ? undefined : (p) => progress('texts', p.done, p.total, p.rate),
    }),
  );
  if (!opts.cacheDir) return embedder;
  const cached = withEmbeddingCache(embedder, resolve(opts.cwd, opts.cacheDir), {
    onProgress: (p) => progress(`new ${plural(p.role)}`, p.done, p.total, p.rate),
    onWarning: (w) => opts.log(`${name}: cache: ${w}`),
  });
  return {
    key: cached.key,
    dim: cached.dim,
    tokenSpans: cached.tokenSpans,
    async embed(texts, role) {
      const before = { ...cached.stats };
      const out = await cached.embed(texts, role);
      opts.log(`${name}: ${plural(role)} from cache ${cached.stats.hits - before.hits}, embedded ${cached.stats.misses - before.misses}`);
      return out;
    },
  };
}

function plural(role: TextRole): string {
  return role === 'query' ? 'queries' : 'documents';
}
