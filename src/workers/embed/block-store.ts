// Embedding blocks in IndexedDB (`embeddings` table): one record per block of up to a few
// hundred vectors as a single Float32Array, keyed [projectId+modelKey+blockId]. A job
// writes a block as soon as it is embedded, so a reload or a cancel loses at most one
// block of work, and `storedIds` lets a restarted job skip everything already there.
import type { QuarryDB } from '../../db/db';
import type { EmbeddingBlockRecord } from '../../db/schema';

export interface StoredSummary {
  ids: Set<string>;
  blocks: number;
  nextBlockId: number;
}

/** Ids already embedded for (project, modelKey), and the next free block id. */
export async function storedSummary(db: QuarryDB, projectId: string, modelKey: string): Promise<StoredSummary> {
  const ids = new Set<string>();
  let blocks = 0;
  let maxId = -1;
  // Read only the ids, not the vectors: iterate with each() so large stores stay cheap.
  await db.embeddings.where('[projectId+modelKey]').equals([projectId, modelKey]).each((b) => {
    blocks++;
    if (b.blockId > maxId) maxId = b.blockId;
    for (const id of b.ids) ids.add(id);
  });
  return { ids, blocks, nextBlockId: maxId + 1 };
}

export async function putBlock(db: QuarryDB, block: EmbeddingBlockRecord): Promise<void> {
  if (block.vectors.length !== block.ids.length * block.dim) {
    throw new Error(
      `embedding block ${block.blockId}: ${block.vectors.length} floats for ${block.ids.length} ids × dim ${block.dim}`,
    );
  }
  await db.embeddings.put(block);
}

/** All vectors of (project, modelKey) as one matrix, in stored order, optionally only some ids. */
export async function readVectors(
  db: QuarryDB,
  projectId: string,
  modelKey: string,
  want?: (id: string) => boolean,
): Promise<{ ids: string[]; dim: number; vectors: Float32Array }> {
  const blocks = await db.embeddings.where('[projectId+modelKey]').equals([projectId, modelKey]).sortBy('blockId');
  const dim = blocks[0]?.dim ?? 0;
  const ids: string[] = [];
  const rows: Array<[Float32Array, number]> = [];
  for (const b of blocks) {
    if (b.dim !== dim) throw new Error(`embedding blocks of ${modelKey} disagree on dim (${b.dim} vs ${dim})`);
    b.ids.forEach((id, i) => {
      if (want && !want(id)) return;
      ids.push(id);
      rows.push([b.vectors, i]);
    });
  }
  const out = new Float32Array(ids.length * dim);
  rows.forEach(([v, i], r) => out.set(v.subarray(i * dim, (i + 1) * dim), r * dim));
  return { ids, dim, vectors: out };
}

export async function clearModel(db: QuarryDB, projectId: string, modelKey: string): Promise<number> {
  return db.embeddings.where('[projectId+modelKey]').equals([projectId, modelKey]).delete();
}
