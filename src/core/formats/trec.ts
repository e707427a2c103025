// TREC run files, as trec_eval, pytrec_eval and ranx read them: one line per (query, document),
// `qid Q0 docid rank score tag`, whitespace-separated, ranks from 1 in score order.
import type { Hit } from '../types.ts';

/** The TREC run lines of one query's ranked hits (best first). */
export function trecRunLines(queryId: string, hits: readonly Hit[], tag = 'quarry'): string {
  for (const id of [queryId, tag, ...hits.map(([d]) => d)]) {
    if (id === '' || /\s/.test(id)) throw new Error(`id ${JSON.stringify(id)} is empty or holds whitespace, which a TREC run line cannot carry`);
  }
  return hits.map(([doc, score], i) => `${queryId} Q0 ${doc} ${i + 1} ${score} ${tag}\n`).join('');
}
