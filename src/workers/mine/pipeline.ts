// The mining run as a resumable state machine over IndexedDB:
//
//   chunk → embed:<member> (dense members) → retrieve:<member> → evaluate → select → rerank
//
// Every stage writes its result (chunks, embedding blocks, retrieval checkpoints, metrics,
// candidate rows) together with its progress in `run.stages`, so a run restarted after a
// reload skips finished stages and, inside a stage, finished batches of queries. Queries
// are always processed in sorted id order in fixed-size batches, which is what makes
// "done = N" mean "the first N queries are stored". Cancelling stops between batches and
// leaves everything stored intact (status 'cancelled'; starting it again resumes).
import type { QuarryDB } from '../../db/db';
import type { CandidateRecord, ChunkRecord, RunRecord, RunTiming } from '../../db/schema';
import { docText, type Hit } from '../../core/types';
import { dimMismatch, documentEncoder, parseMemberSpec, parseRerankerSpec, queryEncoder, type DenseSpec, type MemberSpec } from '../../core/spec/member-spec';
import { parseChunkSpec, chunkDocument, chunkId } from '../../core/chunking';
import type { MetricSummary } from '../../core/metrics';
import { evaluateEnsemble } from '../../core/mining';
import type { MemberList } from '../../core/fusion';
import { dot } from '../../core/topk';
import { Bm25Index } from '../../core/bm25';
import {
  getRun,
  listCheckpoints,
  putCheckpointWithStage,
  putQueryCandidates,
  setRunMetrics,
  setRunStatus,
  setStage,
  type StageProgress,
} from '../../db/runs';
import { readVectors } from '../embed/block-store';
import { recordThroughput, throughputModel } from '../../db/throughput';
import { chunkerKeyOf, tokenizerSpec } from './chunker-key';
import { loadMiningData, type MiningData } from './data';
import { bm25Retriever, DenseStream, denseRetriever, type QueryRetrieval, type Retriever, type Unit } from './retrieve';
import { AbortedError, isAbort, throwIfAborted, type EmbedItem, type EmbedPort, type RerankPort, type StoredBlock } from './ports';
import { selectCandidates, rerankCandidates, runScoreSource, type QueryInputs, type SelectEnv } from './select';

export const RETRIEVE_BATCH = 200;
export const SELECT_BATCH = 100;
export const RERANK_BATCH = 25;
/** Live progress of a stage goes to the page at most this often (and at every percent). */
const LIVE_MS = 250;

export interface LiveProgress {
  runId: string;
  stage: string;
  done: number;
  total: number;
  /** Items per second, when the stage measures it (embedding). */
  rate?: number;
  device?: string;
  /** Why the device is not the one asked for (no adapter, WebGPU failed and the job went on on WASM). */
  notice?: string;
}

export interface PipelineDeps {
  db: QuarryDB;
  embed: EmbedPort;
  rerank?: RerankPort;
  signal: AbortSignal;
  /** Live progress with rates, for the page (the stored stages are the durable part). */
  onProgress?: (p: LiveProgress) => void;
  /** Queries per stored batch (tests use small ones); a resumed run must use the same sizes. */
  batches?: { retrieve?: number; select?: number; rerank?: number };
}

interface Ctx extends PipelineDeps {
  run: RunRecord;
  data: MiningData;
  members: Array<{ name: string; weight: number; spec: MemberSpec }>;
  units: Unit[];
  chunked: boolean;
  /** Key of this run's stored chunks (chunkerKey); '' when not chunked. */
  chunker: string;
  /** Stored per-member retrieval, filled by the retrieve stages (or read back on resume). */
  retrieval: Map<string, Map<string, QueryRetrieval>>;
  /**
   * member name → keys of its stored embedding blocks (set by the embed stage): documents
   * and queries differ for an asymmetric member (query_model=…), else they are one key.
   */
  modelKeys: Map<string, { doc: string; query: string }>;
  /** This session's clock (stored in run.timing as stages end). */
  timing: RunTiming;
  /** Dense members whose retrieval ran while they embedded (finished by their retrieve stage). */
  denseStreams: Map<string, DenseStream>;
  /** member name → cosine over its stored vectors (loaded once per run). */
  cosines: Map<string, Promise<((a: string, b: string) => number | undefined) | undefined>>;
}

export { stageNames } from './pipeline-stages';

const isDone = (run: RunRecord, stage: string) => run.stages[stage]?.status === 'done';

/**
 * Runs (or resumes) a mining run to the end. Resolves with the final status; a failure is
 * stored in the run (status 'failed', error) and also resolved, not thrown.
 */
export async function runMining(deps: PipelineDeps, runId: string): Promise<RunRecord['status']> {
  const { db } = deps;
  const run = await getRun(db, runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  if (run.status === 'done') return 'done';
  await setRunStatus(db, runId, 'running');
  const timing: RunTiming = { startedAt: Date.now(), stageMs: {} };
  await db.runs.update(runId, { timing });
  try {
    const ctx = await prepare(deps, run);
    ctx.timing = timing;
    await timed(ctx, 'load', async () => {});
    await timed(ctx, 'chunk', () => chunkStage(ctx));
    await embedAndRetrieve(ctx);
    await timed(ctx, 'evaluate', () => evaluateStage(ctx));
    await timed(ctx, 'select', () => selectStage(ctx));
    if (run.config.reranker) await timed(ctx, 'rerank', () => rerankStage(ctx));
    timing.finishedAt = Date.now();
    await db.runs.update(runId, { timing });
    await setRunStatus(db, runId, 'done');
    return 'done';
  } catch (e) {
    if (isAbort(e)) {
      await setRunStatus(db, runId, 'cancelled');
      return 'cancelled';
    }
    const message = e instanceof Error ? e.message : String(e);
    await setRunStatus(db, runId, 'failed', message);
    return 'failed';
  }
}

async function prepare(deps: PipelineDeps, run: RunRecord): Promise<Ctx> {
  const data = await loadMiningData(deps.db, run.projectId, run.config.split);
  const members = run.config.members.map((m) => ({ name: m.name, weight: m.weight, spec: parseMemberSpec(m.spec) }));
  const chunkSpec = parseChunkSpec(run.config.chunk);
  const chunked = chunkSpec.kind !== 'none';
  const chunker = chunked ? chunkerKey({ members, run }) : '';
  const ctx: Ctx = { ...deps, run, data, members, units: [], chunked, chunker, retrieval: new Map(), modelKeys: new Map(), denseStreams: new Map(), cosines: new Map(), timing: { startedAt: Date.now(), stageMs: {} } };
  // Assigned, not push(...): 64k units overflow a worker's stack as arguments.
  if (!chunked) ctx.units = docUnits(ctx);
  return ctx;
}

/**
 * The embed and retrieve stages, overlapped: models run in the embedding worker, so this
 * worker is free while they embed. BM25 members (no model) index and search from the start;
 * each dense member's retrieval starts as soon as its vectors are stored, while the next
 * dense member embeds. Each stage stores its own progress, so a resumed run skips what any
 * of them finished. Waits for every branch before passing on the first failure (a cancel
 * stops each branch at its next batch), so nothing is still writing when the run's status is set.
 */
async function embedAndRetrieve(ctx: Ctx): Promise<void> {
  const sparse = (async () => {
    for (const m of ctx.members) if (m.spec.kind !== 'dense') await timed(ctx, `retrieve:${m.name}`, () => retrieveStage(ctx, m.name, m.spec));
  })();
  const dense = (async () => {
    let retrieving: Promise<void> = Promise.resolve();
    try {
      for (const { name, spec } of ctx.members) {
        if (spec.kind !== 'dense') continue;
        await timed(ctx, `embed:${name}`, () => embedStage(ctx, name, spec));
        retrieving = retrieving.then(() => timed(ctx, `retrieve:${name}`, () => retrieveStage(ctx, name, spec)));
      }
    } finally {
      await retrieving.catch(() => undefined);
    }
    await retrieving;
  })();
  const settled = await Promise.allSettled([sparse, dense]);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Runs one stage and stores how long it took in run.timing ('load' is the time from the
 * session's start to the first stage: reading the project's data).
 */
async function timed<T>(ctx: Ctx, stage: string, work: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const out = await work();
  const from = stage === 'load' ? ctx.timing.startedAt : t0;
  ctx.timing.stageMs[stage] = Date.now() - from;
  await ctx.db.runs.update(ctx.run.id, { timing: ctx.timing });
  return out;
}

/**
 * Writes stage progress at most every `ms` (and always at the end), and reports it live at
 * most every percent or LIVE_MS: an embedding stage hears of every model call (2,000 for the
 * Debian corpus), and each live report re-renders the page on a core the models need.
 */
function progressWriter(ctx: Ctx, stage: string, ms = 400) {
  let last = 0;
  let lastLive = -Infinity;
  let liveDone = -Infinity;
  let liveNote = '';
  return async (p: StageProgress & { rate?: number; device?: string; notice?: string }, force = false) => {
    const now = Date.now();
    const note = `${p.device ?? ''}|${p.notice ?? ''}`;
    if (force || now - lastLive >= LIVE_MS || p.done - liveDone >= p.total / 100 || note !== liveNote) {
      lastLive = now;
      liveDone = p.done;
      liveNote = note;
      ctx.onProgress?.({ runId: ctx.run.id, stage, done: p.done, total: p.total, rate: p.rate, device: p.device, notice: p.notice });
    }
    if (!force && now - last < ms) return;
    last = now;
    await setStage(ctx.db, ctx.run.id, stage, { done: p.done, total: p.total, status: p.status ?? 'running' });
  };
}

// ---- chunk -------------------------------------------------------------------------

/** Documents tokenized per call to the embedding worker when chunking by token windows. */
const CHUNK_BATCH = 200;

/**
 * Splits long documents into retrieval units, as `quarry eval/mine --chunk` does
 * (core chunkDocument: the body is chunked, every chunk carries the title, the first
 * DEFAULT_MAX_CHUNKS chunks are kept). Chunks are stored in `chunks` under the chunker key
 * so Review can show the winning chunk, and a resumed run reads its units back from there.
 * Token windows count tokens of the first dense member's tokenizer.
 */
async function chunkStage(ctx: Ctx): Promise<void> {
  if (!ctx.chunked) return;
  const spec = parseChunkSpec(ctx.run.config.chunk);
  const { projectId } = ctx.run;
  const doc = (id: string) => ctx.data.docs.get(id)!;
  if (isDone(ctx.run, 'chunk')) {
    const byDoc = new Map<string, ChunkRecord[]>();
    for (const r of await ctx.db.chunks.where('[projectId+chunker]').equals([projectId, ctx.chunker]).toArray()) {
      const list = byDoc.get(r.docId);
      if (list) list.push(r);
      else byDoc.set(r.docId, [r]);
    }
    for (const docId of ctx.data.docIds) {
      const rows = (byDoc.get(docId) ?? []).sort((a, b) => a.idx - b.idx);
      if (!rows.length) throw new Error(`stored chunks of document ${docId} are missing: start a new run`);
      for (const r of rows) ctx.units.push({ id: chunkId(docId, r.idx), docId, idx: r.idx, text: docText({ title: doc(docId).title, text: r.text }) });
    }
    return;
  }
  const tokenizer = spec.kind === 'tokens' ? tokenizerMember(ctx) : undefined;
  const write = progressWriter(ctx, 'chunk');
  const total = ctx.data.docIds.length;
  for (let from = 0; from < total; from += CHUNK_BATCH) {
    throwIfAborted(ctx.signal);
    const ids = ctx.data.docIds.slice(from, from + CHUNK_BATCH);
    const spans = tokenizer ? await ctx.embed.tokenSpans(tokenizer, ids.map((id) => doc(id).text), ctx.signal) : undefined;
    const batch: ChunkRecord[] = [];
    ids.forEach((docId, j) => {
      for (const c of chunkDocument(doc(docId), spec, spans?.[j])) {
        ctx.units.push({ id: chunkId(docId, c.idx), docId, idx: c.idx, text: c.unitText });
        batch.push({ projectId, chunker: ctx.chunker, docId, idx: c.idx, text: c.text, start: c.start, end: c.end });
      }
    });
    await ctx.db.chunks.bulkPut(batch);
    await write({ done: Math.min(from + CHUNK_BATCH, total), total });
  }
  await write({ done: total, total, status: 'done' }, true);
}

/** The dense member whose tokenizer token-window chunking counts in: the first one. */
function tokenizerMember(ctx: Pick<Ctx, 'members' | 'run'>): DenseSpec {
  return tokenizerSpec(ctx.run.config.chunk, ctx.members.map((m) => m.spec));
}

/** Key of a run's chunks (chunker-key.ts). */
export function chunkerKey(ctx: Pick<Ctx, 'members' | 'run'>): string {
  return chunkerKeyOf(ctx.run.config.chunk, ctx.members.map((m) => m.spec));
}

/** Stored id of a unit's vector: whole documents `d:<id>`, chunks `c:<chunker>|<docId>#<idx>`. */
function unitItemId(ctx: Ctx, unitId: string): string {
  return ctx.chunked ? `c:${ctx.chunker}|${unitId}` : `d:${unitId}`;
}

// ---- embed -------------------------------------------------------------------------

function embedItems(ctx: Ctx) {
  const items: EmbedItem[] = ctx.data.queryIds.map((id) => ({ id: `q:${id}`, text: ctx.data.queryText.get(id)!, role: 'query' }));
  for (const u of ctx.units) items.push({ id: unitItemId(ctx, u.id), text: u.text, role: 'document' });
  return items;
}

async function embedStage(ctx: Ctx, name: string, spec: DenseSpec): Promise<void> {
  const stage = `embed:${name}`;
  const write = progressWriter(ctx, stage);
  const items = embedItems(ctx);
  // An asymmetric member embeds documents with its document encoder (the plain member's
  // key: vectors stored by an earlier run are reused) and queries with its query encoder.
  const parts: Array<{ spec: DenseSpec; items: EmbedItem[] }> = spec.queryModel
    ? [
        { spec: documentEncoder(spec), items: items.filter((it) => it.role === 'document') },
        { spec: queryEncoder(spec), items: items.filter((it) => it.role === 'query') },
      ]
    : [{ spec, items }];
  const keys: string[] = [];
  let before = 0;
  let device: string | undefined;
  let notice: string | undefined;
  const stream = streamFor(ctx, name, spec);
  for (const part of parts) {
    // The first report counts the items found stored; the rest were embedded by this run.
    let first: number | undefined;
    let last: { done: number; rate?: number; device?: string } | undefined;
    const t0 = Date.now();
    // Even a finished stage asks the port: it returns the modelKey and embeds nothing new.
    const out = await ctx.embed.ensureEmbedded(
      ctx.run.projectId,
      part.spec,
      part.items,
      (p) => {
        first ??= p.done;
        last = p;
        void write({
          done: before + Math.round((p.done / Math.max(1, p.total)) * part.items.length),
          total: items.length,
          rate: p.rate,
          device: p.device,
          notice: p.notice,
        });
      },
      ctx.signal,
      stream?.onBlock,
    );
    keys.push(out.modelKey);
    device = out.device ?? device;
    notice = out.notice ?? notice;
    before += part.items.length;
    // What this run achieved: later cost estimates on the Mine page use it.
    const embedded = last && first !== undefined ? last.done - first : 0;
    if (last && embedded >= MIN_MEASURED) {
      const perS = last.rate && last.rate > 0 ? last.rate : embedded / Math.max((Date.now() - t0) / 1000, 1e-3);
      await recordThroughput(ctx.db, { model: throughputModel(part.spec.model, part.spec.dtype), device: out.device ?? last.device ?? 'unknown', perS, at: Date.now(), source: 'run', items: embedded });
    }
  }
  ctx.modelKeys.set(name, { doc: keys[0], query: keys[keys.length - 1] });
  if (stream) {
    const done = await stream.complete(keys[0]);
    if (done) ctx.denseStreams.set(name, done);
  }
  await write({ done: items.length, total: items.length, status: 'done', device, notice }, true);
}

/**
 * Scores a dense member's blocks against every query as the embedding job stores them, so
 * its retrieval is done when its embedding is (this worker is idle while a model embeds).
 * Only when the member's retrieval has not started (a resumed retrieval reads its stored
 * batches) and documents and queries share one model. `complete` adds the blocks this call
 * did not hear of (stored by an earlier session, or announced after the job returned) from
 * the store; any problem leaves the member to the plain retrieval over stored vectors.
 */
function streamFor(ctx: Ctx, name: string, spec: DenseSpec) {
  if (spec.queryModel || ctx.run.stages[`retrieve:${name}`]) return undefined;
  const stream = new DenseStream(ctx.units, ctx.units.map((u) => unitItemId(ctx, u.id)), ctx.data.queryIds, ctx.run.config.depth, ctx.chunked);
  const heard = new Set<number>();
  let closed = false;
  let failed = false;
  return {
    onBlock(b: StoredBlock) {
      if (closed || failed) return;
      heard.add(b.blockId);
      try {
        stream.add(b.ids, b.vectors, b.dim);
      } catch {
        failed = true;
      }
    },
    async complete(modelKey: string): Promise<DenseStream | undefined> {
      closed = true;
      if (failed) return undefined;
      const keys = (await ctx.db.embeddings.where('[projectId+modelKey]').equals([ctx.run.projectId, modelKey]).primaryKeys()) as Array<[string, string, number]>;
      const missing = keys.filter((k) => !heard.has(k[2]));
      for (let i = 0; i < missing.length; i += 64) {
        for (const b of await ctx.db.embeddings.bulkGet(missing.slice(i, i + 64))) {
          if (!b) continue;
          try {
            stream.add(b.ids, b.vectors, b.dim);
          } catch {
            return undefined;
          }
        }
      }
      return stream.incomplete ? undefined : stream;
    },
  };
}

/** Fewer texts than this say little about a model's rate (start-up dominates): not recorded. */
const MIN_MEASURED = 32;

// ---- retrieve ----------------------------------------------------------------------

interface RetrievePart {
  queryIds: string[];
  results: QueryRetrieval[];
}

async function retrieveStage(ctx: Ctx, name: string, spec: MemberSpec): Promise<void> {
  const stage = `retrieve:${name}`;
  const { queryIds } = ctx.data;
  const stored = new Map<string, QueryRetrieval>();
  for (const { data } of await listCheckpoints<RetrievePart>(ctx.db, ctx.run.id, `${stage}:`))
    data.queryIds.forEach((qid, i) => stored.set(qid, data.results[i]));
  ctx.retrieval.set(name, stored);
  if (queryIds.every((q) => stored.has(q))) {
    if (!isDone(ctx.run, stage)) await setStage(ctx.db, ctx.run.id, stage, { done: queryIds.length, total: queryIds.length, status: 'done' });
    return;
  }
  const write = progressWriter(ctx, stage);
  await write({ done: stored.size, total: queryIds.length }, true);
  const retriever = await makeRetriever(ctx, name, spec);
  const positivesOf = (qid: string) => ctx.data.positives.get(qid) ?? [];
  const size = ctx.batches?.retrieve ?? RETRIEVE_BATCH;
  for (let start = 0; start < queryIds.length; start += size) {
    const part = queryIds.slice(start, start + size);
    if (part.every((q) => stored.has(q))) continue;
    throwIfAborted(ctx.signal);
    const results = retriever.retrieve(part, positivesOf);
    part.forEach((qid, i) => stored.set(qid, results[i]));
    const done = Math.min(start + part.length, queryIds.length);
    const last = done === queryIds.length;
    const partName = `${stage}:${String(start / size).padStart(6, '0')}`;
    await putCheckpointWithStage(ctx.db, ctx.run, partName, { queryIds: part, results } satisfies RetrievePart, stage, {
      done,
      total: queryIds.length,
      status: last ? 'done' : 'running',
    });
    ctx.onProgress?.({ runId: ctx.run.id, stage, done, total: queryIds.length });
    await yieldToEvents();
  }
}

function docUnits(ctx: Ctx): Unit[] {
  return ctx.data.docIds.map((id) => ({ id, docId: id, idx: -1, text: docText(ctx.data.docs.get(id)!) }));
}

async function makeRetriever(ctx: Ctx, name: string, spec: MemberSpec): Promise<Retriever> {
  const depth = ctx.run.config.depth;
  // BM25 always indexes whole documents (length normalisation does the job chunks do for
  // dense models), exactly as `quarry eval` does.
  if (spec.kind === 'bm25') {
    const r = bm25Retriever(docUnits(ctx), ctx.data.queryText, { k1: spec.k1, b: spec.b, tokenizer: spec.tokenizer }, depth, false);
    // `auto` is decided from the corpus: store what it chose, so the run says how its text was cut.
    if (ctx.run.config.bm25Tokenizers?.[name] !== r.tokenizer) {
      ctx.run.config = { ...ctx.run.config, bm25Tokenizers: { ...ctx.run.config.bm25Tokenizers, [name]: r.tokenizer } };
      await ctx.db.runs.update(ctx.run.id, { config: ctx.run.config });
    }
    return r;
  }
  const streamed = ctx.denseStreams.get(name);
  if (streamed) {
    ctx.denseStreams.delete(name);
    return streamed.finish();
  }
  const keys = ctx.modelKeys.get(name);
  if (!keys) throw new Error(`embeddings of ${name} are missing (embed stage did not run)`);
  const wantedUnits = new Set(ctx.units.map((u) => unitItemId(ctx, u.id)));
  const wantedQueries = new Set(ctx.data.queryIds.map((q) => `q:${q}`));
  const [docs, queries] = [
    await readVectors(ctx.db, ctx.run.projectId, keys.doc, (id) => wantedUnits.has(id)),
    await readVectors(ctx.db, ctx.run.projectId, keys.query, (id) => wantedQueries.has(id)),
  ];
  const mismatch = docs.ids.length && queries.ids.length ? dimMismatch(spec, docs.dim, queries.dim) : undefined;
  if (mismatch) throw new Error(mismatch);
  // Put unit vectors in unit order (stored order is embedding order, sorted by length).
  const row = new Map<string, number>();
  docs.ids.forEach((id, i) => row.set(id, i));
  const ordered = new Float32Array(ctx.units.length * docs.dim);
  ctx.units.forEach((u, i) => {
    const r = row.get(unitItemId(ctx, u.id));
    if (r === undefined) throw new Error(`no stored vector of ${name} for document ${u.id}`);
    ordered.set(docs.vectors.subarray(r * docs.dim, (r + 1) * docs.dim), i * docs.dim);
  });
  return denseRetriever(ctx.units, { ids: ctx.units.map((u) => u.id), dim: docs.dim, vectors: ordered }, queries, depth, ctx.chunked);
}

// ---- evaluate ----------------------------------------------------------------------

/** Member lists of one query, as fusion takes them. */
function memberLists(ctx: Ctx, qid: string): MemberList[] {
  return ctx.members.map((m) => ({ name: m.name, weight: m.weight, hits: ctx.retrieval.get(m.name)!.get(qid)!.hits }));
}

/**
 * Metrics per member and for the fused ensemble, by core's evaluateEnsemble (what
 * `quarry eval` prints). With a single member the ensemble equals it and is left out.
 */
export function computeMetrics(
  members: Array<{ name: string; weight: number }>,
  retrieval: Map<string, Map<string, QueryRetrieval>>,
  queryIds: string[],
  qrels: Map<string, Map<string, number>>,
  fusion: RunRecord['config']['fusion'],
): Record<string, Record<string, number>> {
  const lists = new Map<string, MemberList[]>();
  for (const q of queryIds)
    lists.set(q, members.map((m) => ({ name: m.name, weight: m.weight, hits: retrieval.get(m.name)!.get(q)!.hits })));
  const judged = new Map(queryIds.map((q) => [q, qrels.get(q)!] as const));
  const result = evaluateEnsemble(lists, judged, fusion);
  const pick = (s: MetricSummary) => ({
    'ndcg@10': s['ndcg@10'],
    'mrr@10': s['mrr@10'],
    'recall@10': s['recall@10'],
    'recall@100': s['recall@100'],
    queries: s.queries,
  });
  const metrics: Record<string, Record<string, number>> = {};
  for (const m of members) metrics[m.name] = pick(result.members[m.name]);
  if (members.length > 1) metrics.ensemble = pick(result.ensemble);
  return metrics;
}

async function evaluateStage(ctx: Ctx): Promise<void> {
  if (isDone(ctx.run, 'evaluate') && ctx.run.metrics) return;
  const metrics = computeMetrics(ctx.members, ctx.retrieval, ctx.data.queryIds, ctx.data.qrels, ctx.run.config.fusion);
  await setRunMetrics(ctx.db, ctx.run.id, metrics);
  await setStage(ctx.db, ctx.run.id, 'evaluate', { done: 1, total: 1, status: 'done' });
}

// ---- select / rerank ---------------------------------------------------------------

function queryInputs(ctx: Ctx, qid: string): QueryInputs {
  const per = ctx.members.map((m) => ctx.retrieval.get(m.name)!.get(qid)!);
  const positiveScores: Record<string, Record<string, number>> = {};
  for (const p of ctx.data.positives.get(qid) ?? []) {
    positiveScores[p] = {};
    ctx.members.forEach((m, i) => (positiveScores[p][m.name] = per[i].positives[p]));
  }
  // Winning chunk per document: the first member (in config order) that chunked it.
  const chunks: Record<string, number> = {};
  for (const r of per) if (r.chunks) for (const [d, idx] of Object.entries(r.chunks)) chunks[d] ??= idx;
  return {
    queryId: qid,
    query: ctx.data.queryText.get(qid)!,
    positives: ctx.data.positives.get(qid) ?? [],
    lists: memberLists(ctx, qid),
    positiveScores,
    chunks,
  };
}

/** Processes queries in batches from where the stage's stored progress says it stopped. */
async function queryBatches(
  ctx: Ctx,
  stage: string,
  batchSize: number,
  /** `live(fraction)` reports progress inside a batch (0..1 of it), for long batches (cross-encoder). */
  work: (qids: string[], live: (fraction: number) => void) => Promise<CandidateRecord[]>,
  /**
   * Compute the next batch while this one is written (selection: a write is most of a
   * batch's time). Off where batches report live progress, which must not pass a batch end
   * that is not stored yet.
   */
  overlapWrites = false,
): Promise<void> {
  const { queryIds } = ctx.data;
  const fresh = await getRun(ctx.db, ctx.run.id);
  const st = fresh?.stages[stage];
  if (st?.status === 'done') return;
  // done counts whole batches written in order, so it is where to continue.
  let start = st && st.total === queryIds.length ? st.done : 0;
  await setStage(ctx.db, ctx.run.id, stage, { done: start, total: queryIds.length, status: 'running' });
  // With overlapWrites, one batch's write is in flight while the next batch is computed (the
  // database works on another thread); writes still go one after another, in order, each
  // with its progress.
  let writing: Promise<void> | null = null;
  try {
    for (; start < queryIds.length; start += batchSize) {
      throwIfAborted(ctx.signal);
      const qids = queryIds.slice(start, start + batchSize);
      const from = start;
      let shown = from;
      const rows = await work(qids, (fraction) => {
        // Live only (the stored `done` stays whole batches): never backwards, never the whole batch before it is stored.
        const done = from + Math.min(qids.length - 1, Math.floor(fraction * qids.length));
        if (done <= shown) return;
        shown = done;
        ctx.onProgress?.({ runId: ctx.run.id, stage, done, total: queryIds.length });
      });
      throwIfAborted(ctx.signal);
      if (writing) await writing;
      throwIfAborted(ctx.signal);
      const done = start + qids.length;
      writing = putQueryCandidates(ctx.db, ctx.run.id, qids, rows, stage, {
        done,
        total: queryIds.length,
        status: done === queryIds.length ? 'done' : 'running',
      }).then(() => ctx.onProgress?.({ runId: ctx.run.id, stage, done, total: queryIds.length }));
      writing.catch(() => undefined); // awaited below or at the next batch
      if (!overlapWrites) await writing;
      await yieldToEvents();
    }
  } finally {
    // Nothing may still be writing when the run's status is set (a cancel included).
    await writing?.catch(() => undefined);
  }
  await writing;
}

/** What selection needs besides the query: data, dense similarities, chunk texts. */
async function selectEnv(ctx: Ctx): Promise<SelectEnv> {
  const chunkTexts = new Map<string, string>();
  if (ctx.chunked) {
    const rows = await ctx.db.chunks.where('[projectId+chunker]').equals([ctx.run.projectId, ctx.chunker]).toArray();
    for (const r of rows) chunkTexts.set(chunkId(r.docId, r.idx), r.text);
  }
  return {
    run: ctx.run,
    data: ctx.data,
    similarity: await denseSimilarity(ctx),
    memberScore: await sourceMemberScore(ctx),
    chunkText: ctx.chunked ? (docId, idx) => chunkTexts.get(chunkId(docId, idx)) : undefined,
  };
}

/**
 * Exact scores on the score-source member for documents outside its top list (a BM25-only
 * candidate's cosine, a dense-only candidate's BM25 score), as `quarry mine` computes them.
 * Whole documents only: with chunks the list's lowest score stays the bound.
 */
async function sourceMemberScore(ctx: Ctx): Promise<SelectEnv['memberScore']> {
  const source = runScoreSource(ctx.run.config);
  const member = ctx.members.find((m) => m.name === source);
  if (!member || ctx.chunked) return undefined;
  if (member.spec.kind === 'bm25') {
    const index = Bm25Index.build(docUnits(ctx).map((u) => ({ id: u.id, text: u.text })), { k1: member.spec.k1, b: member.spec.b });
    return (qid, name, docId) => (name === source ? index.scoreDoc(ctx.data.queryText.get(qid) ?? '', docId) : undefined);
  }
  const cos = await storedCosine(ctx, member.name);
  if (!cos) return undefined;
  return (qid, name, docId) => (name === source ? cos(`q:${qid}`, `d:${docId}`) : undefined);
}

/** Cosine of two stored vectors (`q:<id>` / `d:<id>`) of one dense member of the run. */
function storedCosine(ctx: Ctx, name: string): Promise<((a: string, b: string) => number | undefined) | undefined> {
  let p = ctx.cosines.get(name);
  if (!p) ctx.cosines.set(name, (p = loadCosine(ctx, name)));
  return p;
}

async function loadCosine(ctx: Ctx, name: string): Promise<((a: string, b: string) => number | undefined) | undefined> {
  const keys = ctx.modelKeys.get(name);
  if (!keys) return undefined;
  const docsWanted = new Set(ctx.data.docIds.map((d) => `d:${d}`));
  const queriesWanted = new Set(ctx.data.queryIds.map((q) => `q:${q}`));
  // Documents and queries may live under two keys (an asymmetric member); one vector size.
  const parts = [
    await readVectors(ctx.db, ctx.run.projectId, keys.doc, (id) => docsWanted.has(id)),
    await readVectors(ctx.db, ctx.run.projectId, keys.query, (id) => queriesWanted.has(id)),
  ];
  const row = new Map<string, [Float32Array, number]>();
  for (const p of parts) p.ids.forEach((id, i) => row.set(id, [p.vectors, i * p.dim]));
  const dim = parts[0].dim || parts[1].dim;
  return (a, b) => {
    const ra = row.get(a);
    const rb = row.get(b);
    return ra === undefined || rb === undefined ? undefined : dot(ra[0], ra[1], rb[0], rb[1], dim);
  };
}

/**
 * Cosines from the first dense member's stored vectors, for the triangle rule and the
 * near-duplicate flags. Whole documents only (with chunks a document has no one vector).
 */
async function denseSimilarity(ctx: Ctx): Promise<SelectEnv['similarity']> {
  const member = ctx.members.find((m) => m.spec.kind === 'dense');
  if (!member || ctx.chunked) return undefined;
  const cos = await storedCosine(ctx, member.name);
  if (!cos) return undefined;
  return (qid) => ({
    qd: (docId) => cos(`q:${qid}`, `d:${docId}`),
    pd: (posId, docId) => cos(`d:${posId}`, `d:${docId}`),
  });
}

async function selectStage(ctx: Ctx): Promise<void> {
  if (isDone(ctx.run, 'select')) return;
  const env = await selectEnv(ctx);
  await queryBatches(ctx, 'select', ctx.batches?.select ?? SELECT_BATCH, async (qids) =>
    qids.flatMap((qid) => selectCandidates(env, queryInputs(ctx, qid))),
    true,
  );
}

async function rerankStage(ctx: Ctx): Promise<void> {
  if (isDone(ctx.run, 'rerank')) return;
  const reranker = parseRerankerSpec(ctx.run.config.reranker!);
  const port = ctx.rerank;
  if (!port) throw new Error('no cross-encoder runtime available for reranking');
  const env = await selectEnv(ctx);
  await queryBatches(ctx, 'rerank', ctx.batches?.rerank ?? RERANK_BATCH, async (qids, live) => {
    // One cross-encoder call per round for the whole batch of queries (fewer, fuller model
    // calls); the pairs scored in the first (largest) round show as progress inside the batch.
    let round = 0;
    return rerankCandidates(
      env,
      qids.map((qid) => queryInputs(ctx, qid)),
      (pairs) => {
        const first = round++ === 0;
        if (!pairs.length) return Promise.resolve(new Float32Array(0));
        return port.score(reranker, pairs, ctx.signal, first ? (n) => live(n / pairs.length) : undefined);
      },
    );
  });
}

/** Lets the worker handle messages (cancel) between batches. */
function yieldToEvents(): Promise<void> {
  return new Promise((r) => setTimeout(r, 0));
}

export { AbortedError };
