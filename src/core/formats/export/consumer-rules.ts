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
