// The counts and measurements behind the Mine page's "what this run costs" (core
// mining/remine-cost.ts does the arithmetic): per dense member, corpus units and the split's
// queries, how many of them are stored under the member's key (documents under the document
// encoder's, queries under the query encoder's), and the latest measured rate of each model;
// for a reranker, the pairs it scores at least. BM25 costs seconds and is left out.
import type { QuarryDB } from '../../db/db';
import type { MiningConfig, ModelRecord } from '../../db/schema';
import { corpusCounts, listQrels } from '../../db/corpus';
import { latestThroughput, throughputModel } from '../../db/throughput';
import { memberCost, type CostPart, type MemberCost, type Throughput } from '../../core/mining/remine-cost';
import { documentEncoder, parseMemberSpec, parseRerankerSpec, queryEncoder, type DenseSpec, type MemberSpec } from '../../core/spec/member-spec';
import { parseChunkSpec } from '../../core/chunking';
import { storedSummary } from '../embed/block-store';
import { modelKey } from '../embed/model-key';
import { denseModelRef, rerankerModelRef } from './browser-ports';
import { chunkerKeyOf } from './chunker-key';

function pickModel(models: readonly ModelRecord[], idOrName: string): ModelRecord | undefined {
  return models.find((m) => m.id === idOrName) ?? models.find((m) => m.name === idOrName);
}

async function rateOf(db: QuarryDB, model: string, dtype: string): Promise<Throughput | undefined> {
  const r = await latestThroughput(db, throughputModel(model, dtype));
  return r && { perS: r.perS, at: r.at, device: r.device };
}

export async function runCost(db: QuarryDB, projectId: string, config: MiningConfig, models: readonly ModelRecord[]): Promise<MemberCost[]> {
  const counts = await corpusCounts(db, projectId);
  const queryIds = new Set((await listQrels(db, projectId, config.split)).map((q) => q.queryId));
  const specs: Array<{ name: string; spec: MemberSpec }> = config.members.map((m) => ({ name: m.name, spec: parseMemberSpec(m.spec) }));
  const chunked = parseChunkSpec(config.chunk).kind !== 'none';
  const chunker = chunked ? chunkerKeyOf(config.chunk, specs.map((s) => s.spec)) : '';
  const chunkCount = chunked ? await db.chunks.where('[projectId+chunker]').equals([projectId, chunker]).count() : 0;
  const unitPrefix = chunked ? `c:${chunker}|` : 'd:';

  /** Stored ids of one encoder (its model key, as the embed stage computes it). */
  const stored = async (spec: DenseSpec) => {
    const rec = pickModel(models, spec.model);
    if (!rec) return new Set<string>();
    return (await storedSummary(db, projectId, await modelKey(denseModelRef(rec, spec)))).ids;
  };

  /** The dtype an encoder runs with (a spec without one: the model record's), as the rate was recorded. */
  const weightsOf = (spec: DenseSpec) => {
    const rec = pickModel(models, spec.model);
    return rec ? denseModelRef(rec, spec).settings.dtype : spec.dtype;
  };

  const out: MemberCost[] = [];
  for (const { name, spec } of specs) {
    if (spec.kind !== 'dense') continue;
    const doc = documentEncoder(spec);
    const query = queryEncoder(spec);
    const docIds = await stored(doc);
    const qIds = spec.queryModel ? await stored(query) : docIds;
    let unitsStored = 0;
    for (const id of docIds) if (id.startsWith(unitPrefix)) unitsStored++;
    let queriesStored = 0;
    for (const q of queryIds) if (qIds.has(`q:${q}`)) queriesStored++;
    const parts: CostPart[] = [
      {
        what: chunked ? 'chunks' : 'documents',
        model: pickModel(models, doc.model)?.name ?? doc.model,
        // Before the chunk stage ran, a document is at least one chunk.
        total: chunked ? Math.max(chunkCount, counts.documents) : counts.documents,
        ...(chunked && chunkCount === 0 ? { atLeast: true } : {}),
        stored: unitsStored,
        rate: await rateOf(db, doc.model, weightsOf(doc)),
      },
      {
        what: 'queries',
        model: pickModel(models, query.model)?.name ?? query.model,
        total: queryIds.size,
        stored: queriesStored,
        rate: await rateOf(db, query.model, weightsOf(query)),
      },
    ];
    out.push(memberCost(name, parts));
  }
  if (config.reranker) {
    const r = parseRerankerSpec(config.reranker);
    // The positive and every exported negative are scored; denoising may ask for more.
    const pairs = queryIds.size * (1 + config.negatives + config.randomNegatives);
    const rec = pickModel(models, r.model);
    const model = rec?.name ?? r.model;
    const dtype = rec ? rerankerModelRef(rec, r).settings.dtype : r.dtype;
    out.push(memberCost(`${model} (reranker)`, [{ what: 'pairs', model, total: pairs, stored: 0, atLeast: true, rate: await rateOf(db, r.model, dtype) }]));
  }
  return out;
}
