// Reads what a mining run needs from IndexedDB: the project's documents, the queries that
// have relevance judgements in the run's split, and those judgements. Only queries with
// at least one qrel in the split take part, as on the CLI.
import type { QuarryDB } from '../../db/db';
import { allDocuments, getQueries, listQrels, listSplits } from '../../db/corpus';
import type { Doc } from '../../core/types';
import { corpusOrder } from '../../core/mining/corpus-order';

export interface MiningData {
  docs: Map<string, Doc>;
  /** Document ids in core corpusOrder: the order of vectors, of the BM25 index and of random draws (as on the CLI). */
  docIds: string[];
  /** Query ids of the split, sorted: the order every stage processes queries in. */
  queryIds: string[];
  queryText: Map<string, string>;
  /** queryId → docId → grade, every qrel of the split (grade ≤ 0 included, as judged). */
  qrels: Map<string, Map<string, number>>;
  /** queryId → relevant docIds (grade > 0) that exist in the corpus. */
  positives: Map<string, string[]>;
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export async function loadMiningData(db: QuarryDB, projectId: string, split: string): Promise<MiningData> {
  const [docRows, qrelRows] = await Promise.all([
    allDocuments(db, projectId),
    listQrels(db, projectId, split),
  ]);
  if (!docRows.length) throw new Error('this project has no documents: import a corpus on the Data page first');
  if (!qrelRows.length) throw new Error(`no qrels in split "${split}": import qrels/${split}.tsv or pick another split`);
  const docs = new Map<string, Doc>();
  for (const d of docRows) docs.set(d.id, { id: d.id, title: d.title, text: d.text });
  const docIds = corpusOrder(docs.keys());

  const qrels = new Map<string, Map<string, number>>();
  for (const q of qrelRows) {
    let m = qrels.get(q.queryId);
    if (!m) qrels.set(q.queryId, (m = new Map()));
    m.set(q.docId, q.score);
  }
  const wanted = [...qrels.keys()].sort(byString);
  const queryRows = await getQueries(db, projectId, wanted);
  const queryText = new Map<string, string>();
  const queryIds: string[] = [];
  const positives = new Map<string, string[]>();
  wanted.forEach((id, i) => {
    const row = queryRows[i];
    if (!row) return; // a qrel naming an unknown query: import reported it; nothing to mine
    queryIds.push(id);
    queryText.set(id, row.text);
    positives.set(
      id,
      [...qrels.get(id)!].filter(([docId, g]) => g > 0 && docs.has(docId)).map(([docId]) => docId),
    );
  });
  if (!queryIds.length) throw new Error(`the qrels of split "${split}" name no imported query`);
  return { docs, docIds, queryIds, queryText, qrels, positives };
}

/** The split names that have qrels in a project (for the page's split picker). */
export function splitsOf(db: QuarryDB, projectId: string): Promise<string[]> {
  return listSplits(db, projectId);
}
