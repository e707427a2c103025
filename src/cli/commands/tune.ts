// `quarry tune`: fit fusion weights (and the fusion method) on a labelled split.
//   quarry tune --data DIR [--split dev] --member SPEC... [--fusion M] [--chunk ..] [--cache DIR]
//               [--report-split NAME] [--json]
// --json prints one object {"fusion","weights":[one per --member],"split","ndcg@10":{"equal","fitted"}}
// (plus "report":{"split","ndcg@10":{"equal","fitted"}} with --report-split), so the weights
// can be passed to `quarry eval --fusion M --weights ...` on another split.
import type { Command } from '../args';
import { FUSION_METHODS, type MemberList } from '../../core/fusion';
import { ensembleNdcg, tuneFusion } from '../../core/learn';
import type { FusionMethod } from '../../core/types';
import { loadSplit, type SplitData } from '../pipeline/data';
import { MEMBER_DEPTH, runMembers } from '../pipeline/members';
import { chunkSpec, DATA_OPTIONS, ENSEMBLE_OPTIONS, fusionMethod, maxChunks, memberSpecs, stderrLog } from '../pipeline/options';

const { weights: _weights, concat: _concat, 'concat-weight': _cw, ...TUNE_ENSEMBLE_OPTIONS } = ENSEMBLE_OPTIONS;

export const command: Command = {
  name: 'tune',
  summary: 'Fit fusion weights on a labelled split (coordinate search maximising nDCG@10)',
  options: {
    ...DATA_OPTIONS,
    split: { type: 'string', valueName: 'NAME', defaultText: 'dev', description: 'Qrels split to fit on (qrels/NAME.tsv)' },
    ...TUNE_ENSEMBLE_OPTIONS,
    fusion: {
      type: 'string',
      valueName: 'METHOD',
      defaultText: 'all',
      description: `Search only this fusion method (${FUSION_METHODS.join(' | ')}); default: all, the equal-weight baseline is soft-z`,
    },
    'report-split': { type: 'string', valueName: 'NAME', description: 'Also report equal vs fitted nDCG@10 on this split (not used for fitting)' },
    json: { type: 'boolean', description: 'Print one JSON object: {"fusion","weights","split","ndcg@10":{"equal","fitted"}}' },
  },
  details: [
    'Starts from equal weights and moves one member weight at a time over 0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4,',
    'keeping a change only when nDCG@10 on the split improves. Fitted weights feed `quarry eval --weights`.',
    'Example: quarry tune --data ../shared/data/debian-pkgs --split train --member dense:../shared/models/pkgs-static --member bm25 --report-split dev --json',
  ].join('\n'),
  async run(args, io) {
    const specs = memberSpecs(args);
    const only = args.has('fusion') ? fusionMethod(args) : undefined;
    const baseline: FusionMethod = only ?? 'soft-z';
    const chunk = chunkSpec(args);
    const split = args.string('split', 'dev');
    const reportSplit = args.string('report-split');
    const log = stderrLog(io);
    const dir = args.requireString('data');

    const memberLists = async (data: SplitData): Promise<Map<string, MemberList[]>> => {
      const runs = await runMembers(specs, data.docs, data.queries, {
        depth: MEMBER_DEPTH,
        chunk,
        maxChunks: maxChunks(args),
        cacheDir: args.string('cache'),
        cwd: io.cwd,
        log,
      });
      return new Map(data.queries.map((q) => [q.id, runs.map((r) => ({ name: r.name, weight: 1, hits: r.lists.get(q.id) ?? [] }))]));
    };

    const data = await loadSplit(dir, split, io, log);
    const lists = await memberLists(data);
    const fit = tuneFusion(lists, data.qrels, { methods: only ? [only] : FUSION_METHODS });
    const equal = fit.equal[baseline];
    log(`tuned on ${split}: ${fit.evaluations} weight vectors tried; ${fit.fusion} ${fit.weights.join(',')} nDCG@10 ${fit.fitted.toFixed(4)} (equal ${baseline} ${equal.toFixed(4)})`);

    let report: { split: string; equal: number; fitted: number } | undefined;
    if (reportSplit !== undefined) {
      const other = await loadSplit(dir, reportSplit, io, log);
      const otherLists = await memberLists(other);
      report = {
        split: reportSplit,
        equal: ensembleNdcg(otherLists, other.qrels, baseline, specs.map(() => 1)),
        fitted: ensembleNdcg(otherLists, other.qrels, fit.fusion, fit.weights),
      };
    }

    if (args.flag('json')) {
      const out: Record<string, unknown> = { fusion: fit.fusion, weights: fit.weights, split, 'ndcg@10': { equal, fitted: fit.fitted } };
      if (report) out.report = { split: report.split, 'ndcg@10': { equal: report.equal, fitted: report.fitted } };
      io.stdout(JSON.stringify(out) + '\n');
      return 0;
    }
    const lines = [
      `${data.dir} — fitted on split ${split} (${data.qrels.size} queries with qrels)`,
      `fusion ${fit.fusion}, weights ${fit.weights.join(',')}  (--fusion ${fit.fusion} --weights ${fit.weights.join(',')})`,
      `nDCG@10 on ${split}: equal (${baseline}) ${equal.toFixed(4)}, fitted ${fit.fitted.toFixed(4)}`,
    ];
    if (report) lines.push(`nDCG@10 on ${report.split} (not fitted on): equal (${baseline}) ${report.equal.toFixed(4)}, fitted ${report.fitted.toFixed(4)}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
};
