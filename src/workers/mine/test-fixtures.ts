// Test helpers for the mining pipeline (imported only by *.test.ts): a real slice of the
// Debian dev split seeded into a fake-indexeddb project, and a deterministic stand-in for
// a dense model (token hashing) behind the same EmbedPort the browser uses.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TextEmbedder, TextRole } from '../../core/models';
import { tokenize } from '../../core/bm25';
import type { QuarryDB } from '../../db/db';
import { putDocuments, putQrels, putQueries } from '../../db/corpus';
import { runEmbedJob } from '../embed/embed-job';
import { AbortedError, type EmbedPort, type RerankPort } from './ports';

export const SHARED = resolve(process.env.QUARRY_SHARED ?? '../shared');
const DATA = join(SHARED, 'data/debian-pkgs');

export interface Slice {
  docs: Array<{ id: string; title: string; text: string }>;
  queries: Array<{ id: string; text: string }>;
  qrels: Array<{ queryId: string; docId: string; score: number }>;
}

/**
 * The first `n` dev queries of the reference file, their qrels, and every document that
 * their pkgs-minilm / pkgs-static top lists name (the real hard negatives).
 */
export function debianSlice(n: number, listDepth = 20): Slice {
  const refLines = readFileSync(join(SHARED, 'reference/debian-pkgs-dev.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, n);
  const qids = new Set<string>();
  const docIds = new Set<string>();
  for (const line of refLines) {
    const r = JSON.parse(line) as Record<string, unknown>;
    qids.add(r.query_id as string);
    for (const key of ['pkgs-minilm', 'pkgs-static'])
      for (const [d] of (r[key] as Array<[string, number]>).slice(0, listDepth)) docIds.add(d);
  }
  const qrels: Slice['qrels'] = [];
  for (const line of readFileSync(join(DATA, 'qrels/dev.tsv'), 'utf8').split('\n').slice(1)) {
    const [q, d, s] = line.split('\t');
    if (qids.has(q)) {
      qrels.push({ queryId: q, docId: d, score: Number(s) });
      docIds.add(d);
    }
  }
  const docs: Slice['docs'] = [];
  for (const line of readFileSync(join(DATA, 'corpus.jsonl'), 'utf8').split('\n')) {
    if (!line) continue;
    const id = /"_id":\s*"([^"]*)"/.exec(line)?.[1];
    if (id && docIds.has(id)) {
      const d = JSON.parse(line) as { _id: string; title?: string; text: string };
      docs.push({ id: d._id, title: d.title ?? '', text: d.text });
    }
  }
  const queries: Slice['queries'] = [];
  for (const line of readFileSync(join(DATA, 'queries.jsonl'), 'utf8').split('\n')) {
    if (!line) continue;
    const id = /"_id":\s*"([^"]*)"/.exec(line)?.[1];
    if (id && qids.has(id)) {
      const q = JSON.parse(line) as { _id: string; text: string };
      queries.push({ id: q._id, text: q.text });
    }
  }
  return { docs, queries, qrels };
}

export async function seedProject(db: QuarryDB, projectId: string, slice: Slice, split = 'dev'): Promise<void> {
  await db.projects.put({ id: projectId, name: 'test', createdAt: Date.now(), guidelines: '' } as never);
  await putDocuments(db, projectId, slice.docs);
  await putQueries(db, projectId, slice.queries);
  await putQrels(db, projectId, split, slice.qrels);
}

/** Bag of hashed tokens (FNV-1a into `dim` buckets), L2-normalised: similar texts get similar vectors. */
export class HashingEmbedder implements TextEmbedder {
  readonly key: string;
  calls = 0;
  constructor(readonly dim = 64, readonly salt = 0) {
    this.key = `hash-${dim}-${salt}`;
  }
  /** Whitespace-separated words stand in for a tokenizer's tokens. */
  async tokenSpans(text: string): Promise<Array<[number, number]>> {
    return [...text.matchAll(/\S+/g)].map((m) => [m.index, m.index + m[0].length] as [number, number]);
  }
  async embed(texts: string[], _role: TextRole): Promise<Float32Array> {
    this.calls += texts.length;
    const out = new Float32Array(texts.length * this.dim);
    texts.forEach((t, i) => {
      for (const tok of tokenize(t)) {
        let h = 0x811c9dc5 ^ this.salt;
        for (let c = 0; c < tok.length; c++) h = Math.imul(h ^ tok.charCodeAt(c), 0x01000193);
        out[i * this.dim + ((h >>> 0) % this.dim)] += 1;
      }
      let n = 0;
      for (let k = 0; k < this.dim; k++) n += out[i * this.dim + k] ** 2;
      n = Math.sqrt(n) || 1;
      for (let k = 0; k < this.dim; k++) out[i * this.dim + k] /= n;
    });
    return out;
  }
}

/** An EmbedPort over the real embedding job (runEmbedJob) with hashing models per spec.model. */
export function fakeEmbedPort(db: QuarryDB, models: Record<string, HashingEmbedder>): EmbedPort {
  return {
    async ensureEmbedded(projectId, member, items, onProgress, signal, onBlock) {
      const model = models[member.model];
      if (!model) throw new Error(`model "${member.model}" is not in the Models list`);
      const modelKey = `${model.key}:${member.dtype}`;
      const r = await runEmbedJob(db, model, items, {
        projectId,
        modelKey,
        blockSize: 128,
        batchSize: 64,
        isCancelled: () => signal.aborted,
        onProgress: (p) => onProgress({ done: p.done, total: p.total, rate: p.rate }),
        onBlock: onBlock ? (blockId, b) => onBlock({ blockId, ids: b.ids, dim: b.dim, vectors: b.vectors }) : undefined,
      });
      if (r.status === 'cancelled') throw new AbortedError();
      return { modelKey };
    },
    async tokenSpans(member, texts) {
      const model = models[member.model];
      if (!model) throw new Error(`model "${member.model}" is not in the Models list`);
      return Promise.all(texts.map((t) => model.tokenSpans(t)));
    },
  };
}

/** A cross-encoder stand-in: token overlap (Jaccard) of query and document, as a logit. */
export function fakeRerankPort(): RerankPort & { pairs: number } {
  const port = {
    pairs: 0,
    async score(_spec: unknown, pairs: Array<[string, string]>, _signal?: AbortSignal, onProgress?: (pairsDone: number) => void) {
      port.pairs += pairs.length;
      // Like the embedding worker: progress after every 4 pairs.
      for (let n = 4; n < pairs.length; n += 4) onProgress?.(n);
      onProgress?.(pairs.length);
      return Float32Array.from(
        pairs.map(([q, d]) => {
          const a = new Set(tokenize(q));
          const b = new Set(tokenize(d));
          let inter = 0;
          for (const t of a) if (b.has(t)) inter++;
          return 8 * (inter / Math.max(1, a.size)) - 4;
        }),
      );
    },
  };
  return port;
}
