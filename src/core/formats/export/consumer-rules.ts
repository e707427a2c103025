// Test support: each trainer's own rules for the rows it reads, written from its code, so
// tests can check an export the way the consumer will load it (field names, types, shapes).
// Each checker returns the problems found in one row ([] = the consumer accepts it).

type Json = unknown;

const isInt32List = (v: Json): boolean =>
  Array.isArray(v) && v.every((x) => Number.isInteger(x) && (x as number) >= -(2 ** 31) && (x as number) < 2 ** 31);

const exactKeys = (o: Record<string, Json>, keys: string[], where: string): string[] => {
  const have = Object.keys(o).sort();
  const want = [...keys].sort();
  return have.join(',') === want.join(',') ? [] : [`${where}: keys ${have.join(',')} but the loader declares ${want.join(',')}`];
};

/**
 * luyug/Reranker `src/reranker/data.py` GroupedTrainDataset: `datasets.load_dataset('json',
 * features=Features({'qry': {'qid': string, 'query': [int32]}, 'pos': [{'pid': string,
 * 'passage': [int32]}], 'neg': [same]}))`; `random.choice(group['pos'])` needs a positive;
 * `encode_plus(qry, psg, truncation='only_second', max_length=max_len)` fails when the
 * query alone (plus 3 special tokens) does not fit.
 */
export function rerankerGroupProblems(row: Json, maxLen = 512): string[] {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return ['row is not an object'];
  const r = row as Record<string, Json>;
  const out = exactKeys(r, ['qry', 'pos', 'neg'], 'row');
  const qry = r.qry as Record<string, Json> | undefined;
  if (!qry || typeof qry !== 'object') out.push('qry is not an object');
  else {
    out.push(...exactKeys(qry, ['qid', 'query'], 'qry'));
    if (typeof qry.qid !== 'string') out.push('qry.qid is not a string');
    if (!isInt32List(qry.query)) out.push('qry.query is not a list of int32 token ids');
    else if ((qry.query as number[]).length + 3 > maxLen) out.push('qry.query does not fit max_len with only_second truncation');
  }
  for (const side of ['pos', 'neg'] as const) {
    const list = r[side];
    if (!Array.isArray(list)) {
      out.push(`${side} is not a list`);
      continue;
    }
    list.forEach((e: Record<string, Json>, i) => {
      if (!e || typeof e !== 'object') return void out.push(`${side}[${i}] is not an object`);
      out.push(...exactKeys(e, ['pid', 'passage'], `${side}[${i}]`));
      if (typeof e.pid !== 'string') out.push(`${side}[${i}].pid is not a string`);
      if (!isInt32List(e.passage)) out.push(`${side}[${i}].passage is not a list of int32 token ids`);
    });
  }
  if (Array.isArray(r.pos) && r.pos.length === 0) out.push('pos is empty (random.choice fails)');
  return out;
}

const isStrList = (v: Json, nonEmpty: boolean): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string') && (!nonEmpty || v.length > 0);
const isNumList = (v: Json, n: number): boolean => Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/**
 * FlagEmbedding fine-tuning files (FlagEmbedding/abc/finetune/{embedder,reranker}/AbsDataset.py):
 * `datasets.load_dataset('json')` makes one column per key, so every row must have the same
 * keys; `query` a string, `pos` a non-empty string list (`random.choice`), `neg` a non-empty
 * string list (`math.ceil(.../len(neg))`); with `knowledge_distillation` the file must have
 * `pos_scores` and `neg_scores` ("not found in the features" otherwise), numbers indexed like
 * pos / neg. The embedder reads `prompt` as the query instruction; the reranker reads
 * `query_prompt` / `passage_prompt`, and its LLM variant `prompt` as the yes/no question, so
 * a reranker file must not carry an embedder instruction there.
 */
export function flagFileProblems(rows: Json[], opts: { target: 'embedder' | 'reranker'; distill: boolean }): string[] {
  const out: string[] = [];
  const keySets = new Set(rows.map((r) => Object.keys(r as object).sort().join(',')));
  if (keySets.size > 1) out.push(`rows have different keys (${[...keySets].join(' | ')}): datasets fills missing ones with None`);
  rows.forEach((row, i) => {
    const r = row as Record<string, Json>;
    if (typeof r.query !== 'string') out.push(`row ${i + 1}: query is not a string`);
    if (!isStrList(r.pos, true)) out.push(`row ${i + 1}: pos is not a non-empty list of strings`);
    if (!isStrList(r.neg, true)) out.push(`row ${i + 1}: neg is not a non-empty list of strings`);
    if (opts.distill) {
      if (!('pos_scores' in r) || !('neg_scores' in r)) out.push(`row ${i + 1}: pos_scores and neg_scores not found (knowledge_distillation)`);
      else {
        if (!isNumList(r.pos_scores, (r.pos as unknown[])?.length ?? -1)) out.push(`row ${i + 1}: pos_scores is not one number per pos`);
        if (!isNumList(r.neg_scores, (r.neg as unknown[])?.length ?? -1)) out.push(`row ${i + 1}: neg_scores is not one number per neg`);
      }
    }
    if ('prompt' in r && opts.target === 'reranker') out.push(`row ${i + 1}: "prompt" is the LLM reranker's yes/no question, not a query instruction (use query_prompt)`);
    for (const k of ['prompt', 'query_prompt', 'passage_prompt']) if (k in r && typeof r[k] !== 'string') out.push(`row ${i + 1}: ${k} is not a string`);
  });
  return out;
}

/**
 * sentence-transformers data collators (sentence_transformers/data_collator.py and the
 * cross-encoder one): the first of the label columns present (`label`, `score`; cross-encoders
 * also `labels`, `scores`) becomes the label, and every other column is model input: a text
 * (cross-encoders also take a list of texts, e.g. labeled-list `documents`). An id or score
 * column left in the row is tokenised and breaks training.
 */
export function stCollatorProblems(row: Json, model: 'bi-encoder' | 'cross-encoder' = 'bi-encoder'): string[] {
  const r = row as Record<string, Json>;
  const labels = model === 'bi-encoder' ? ['label', 'score'] : ['label', 'labels', 'score', 'scores'];
  const label = labels.find((k) => k in r);
  const out: string[] = [];
  for (const [k, v] of Object.entries(r)) {
    if (k === label) continue;
    const ok = typeof v === 'string' || (model === 'cross-encoder' && isStrList(v, true));
    if (!ok) out.push(`column ${k} is not text but would be tokenised as an input`);
  }
  if (label && label.startsWith('score') && !(typeof r[label] === 'number' || isNumList(r[label], (r[label] as unknown[])?.length ?? -1))) {
    out.push(`${label} is not a number or a list of numbers`);
  }
  return out;
}

/**
 * Tevatron's training data (its HF datasets and TrainDataset): `query_id` and `query` strings,
 * `positive_passages` (non-empty) and `negative_passages` lists of `{docid, title, text}`
 * strings; a passage is encoded from title and text.
 */
export function tevatronRowProblems(row: Json): string[] {
  const r = row as Record<string, Json>;
  const out: string[] = [];
  if (typeof r.query_id !== 'string') out.push('query_id is not a string');
  if (typeof r.query !== 'string') out.push('query is not a string');
  for (const side of ['positive_passages', 'negative_passages'] as const) {
    const list = r[side];
    if (!Array.isArray(list)) out.push(`${side} is not a list`);
    else
      list.forEach((p: Record<string, Json>, i) => {
        for (const k of ['docid', 'title', 'text']) if (typeof p?.[k] !== 'string') out.push(`${side}[${i}].${k} is not a string`);
      });
  }
  if (Array.isArray(r.positive_passages) && r.positive_passages.length === 0) out.push('positive_passages is empty');
  return out;
}
