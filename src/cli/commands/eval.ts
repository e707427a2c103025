// `quarry eval`: metrics of each member and of their fusion on one split.
//   quarry eval --data DIR [--split dev] --member SPEC... [--fusion soft-z] [--weights ..]
//               [--chunk ..] [--cache DIR] [--json]
// --json prints exactly {"split","queries","members":{NAME:{metrics}},"ensemble":{metrics}}.
import type { Command } from '../args';
import type { MemberList } from '../../core/fusion';
import { METRIC_NAMES, type MetricSummary } from '../../core/metrics';
import { evaluateEnsemble } from '../../core/mining';
import { finish, loadSplit } from '../pipeline/data';
import { runMembers } from '../pipeline/members';
import { chunkSpec, DATA_OPTIONS, ENSEMBLE_OPTIONS, ensembleWeights, evalMemberOptions, fusionMethod, memberSpecs, memberWeights, stderrLog } from '../pipeline/options';

export const command: Command = {
  name: 'eval',
  summary: 'Evaluate members and their fusion on a split (nDCG@10, MRR@10, recall@10/100)',
  options: {
    ...DATA_OPTIONS,
    split: { type: 'string', valueName: 'NAME', defaultText: 'dev', description: 'Qrels split to evaluate (qrels/NAME.tsv)' },
    ...ENSEMBLE_OPTIONS,
    json: { type: 'boolean', description: 'Print one JSON object: {"split","queries","members":{..},"ensemble":{..}}' },
  },
  details: [
    'Each member retrieves its top 100 per query (exact cosine or BM25); the ensemble fuses the union.',
    'Example: quarry eval --data ../shared/data/debian-pkgs --member dense:../shared/models/pkgs-minilm --member bm25 --json',
  ].join('\n'),
  async run(args, io) {
    const specs = memberSpecs(args);
    const fusion = fusionMethod(args);
    const { fusion: weights, concat } = ensembleWeights(args, memberWeights(args, specs.length));
    const chunk = chunkSpec(args);
    const split = args.string('split', 'dev');
    const log = stderrLog(io);
    const data = await loadSplit(args.requireString('data'), split, io, log);
    const runs = await runMembers(specs, data.docs, data.queries, { ...evalMemberOptions(args, io, log), concat });
    const lists = new Map<string, MemberList[]>();
    for (const q of data.queries) {
      lists.set(
        q.id,
        runs.map((r, i) => ({ name: r.name, weight: weights[i], hits: r.lists.get(q.id) ?? [] })),
      );
    }
    const result = evaluateEnsemble(lists, data.qrels, fusion);
    log(`evaluated ${result.queries} queries`);
    const metrics = (m: MetricSummary) => Object.fromEntries(METRIC_NAMES.map((k) => [k, m[k]]));
    if (args.flag('json')) {
      const members = Object.fromEntries(runs.map((r) => [r.name, metrics(result.members[r.name])]));
      io.stdout(JSON.stringify({ split, queries: result.queries, members, ensemble: metrics(result.ensemble) }) + '\n');
      return finish(data, log);
    }
    const label = `ensemble (${fusion}${weights.some((w) => w !== 1) ? `, weights ${weights.join(',')}` : ''})`;
    const rows: Array<[string, MetricSummary]> = [...runs.map((r): [string, MetricSummary] => [r.name, result.members[r.name]]), [label, result.ensemble]];
    const width = Math.max(...rows.map(([n]) => n.length), 6);
    const lines = [
      `${data.dir} — split ${split}, ${result.queries} queries, ${data.docs.length} documents${chunk.kind === 'none' ? '' : `, chunking ${args.string('chunk')}`}`,
      `${'member'.padEnd(width)}  ${METRIC_NAMES.map((k) => k.padStart(11)).join('')}`,
      ...rows.map(([n, m]) => `${n.padEnd(width)}  ${METRIC_NAMES.map((k) => m[k].toFixed(4).padStart(11)).join('')}`),
    ];
    io.stdout(lines.join('\n') + '\n');
    return finish(data, log);
  },
};
