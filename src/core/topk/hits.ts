import type { Hit } from '../types';
import type { TopKResult } from './exact-topk';

/** Row `q` of a top-k result as hits with document ids (best first); slots with index −1 (NaN scores) are skipped. */
export function topKHits(result: TopKResult, docIds: readonly string[], q: number): Hit[] {
  const { indices, scores, k } = result;
  const rows = k === 0 ? 0 : indices.length / k;
  if (!Number.isInteger(q) || q < 0 || q >= rows) throw new Error(`topKHits: query row ${q} out of range 0..${rows - 1}`);
  const out: Hit[] = [];
  for (let i = q * k, end = i + k; i < end; i++) {
    if (indices[i] === -1) continue;
    const id = docIds[indices[i]];
    if (id === undefined) throw new Error(`topKHits: document index ${indices[i]} has no id (docIds has ${docIds.length})`);
    out.push([id, scores[i]]);
  }
  return out;
}
