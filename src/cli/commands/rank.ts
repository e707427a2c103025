// `quarry rank`: each judged query's top documents, one JSON line per query:
//   {"query_id": "...", "hits": [[doc_id, score], ...]}
// With one --member the scores are that member's (cosine or BM25); with several, the fused
// scores of --fusion over the members' top-100 lists.
import { UserError, type Command } from '../args';
import { trecRunLines } from '../../core/formats/trec';
import { fuse } from '../../core/fusion';
import type { Hit } from '../../core/types';
import { openOutput, withOutput } from '../io/output';
import { finish, loadSplit } from '../pipeline/data';
import { MEMBER_DEPTH, runMembers } from '../pipeline/members';
import { chunkSpec, DATA_OPTIONS, ENSEMBLE_OPTIONS, fusionMethod, maxChunks, memberSpecs, memberWeights, stderrLog } from '../pipeline/options';

export const command: Command = {
  name: 'rank',
  summary: 'Rank the corpus for each judged query; write one JSON line per query',
  options: {
    ...DATA_OPTIONS,
    split: { type: 'string', valueName: 'NAME', defaultText: 'dev', description: 'Rank the queries that have qrels in this split' },
    top: { type: 'string', valueName: 'K', defaultText: '50', description: 'Hits per query' },
    ...ENSEMBLE_OPTIONS,
    format: {
      type: 'string',
      valueName: 'jsonl|trec',
      defaultText: 'jsonl',
      description: 'jsonl: {"query_id","hits":[[doc_id,score],...]} per line; trec: a TREC run file "qid Q0 docid rank score quarry" (trec_eval, pytrec_eval, ranx)',
    },
    out: { type: 'string', valueName: 'FILE', defaultText: '- (stdout)', description: 'Output file; - or no --out writes to stdout' },
  },
  details: 'Example: quarry rank --data ../shared/data/debian-pkgs --member dense:../shared/models/pkgs-minilm --top 50 --out minilm.jsonl',
  async run(args, io) {
    const specs = memberSpecs(args);
    const top = args.int('top', 50, 1);
    const fusion = fusionMethod(args);
    const weights = memberWeights(args, specs.length);
    const format = args.choice<'jsonl' | 'trec'>('format', ['jsonl', 'trec'], 'jsonl');
    // Checked before any work: an unwritable --out fails now, not after the embedding.
    const out = openOutput(args.string('out'), io);
    const log = stderrLog(io);
    return withOutput(out, async () => {
      const data = await loadSplit(args.requireString('data'), args.string('split', 'dev'), io, log);
      const runs = await runMembers(specs, data.docs, data.queries, {
        depth: specs.length === 1 ? top : Math.max(top, MEMBER_DEPTH),
        chunk: chunkSpec(args),
        maxChunks: maxChunks(args),
        cacheDir: args.string('cache'),
        cwd: io.cwd,
        log,
      });
      for (const q of data.queries) {
        let hits: Hit[];
        if (runs.length === 1) hits = runs[0].lists.get(q.id) ?? [];
        else {
          const lists = runs.map((r, i) => ({ name: r.name, weight: weights[i], hits: r.lists.get(q.id) ?? [] }));
          hits = fuse(lists, fusion).slice(0, top).map((h): Hit => [h.docId, h.score]);
        }
        if (format === 'trec') {
          try {
            out.write(trecRunLines(q.id, hits.slice(0, top)));
          } catch (e) {
            throw new UserError(`--format trec: ${(e as Error).message} (query ${q.id})`);
          }
        } else out.write(JSON.stringify({ query_id: q.id, hits: hits.slice(0, top) }) + '\n');
      }
      log(`wrote ${data.queries.length} ranked lists to ${out.label}`);
      return finish(data, log);
    });
  },
};
