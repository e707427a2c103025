// `quarry tune`: fit fusion weights (and the fusion method) on a labelled split.
//   quarry tune --data DIR [--split dev] --member SPEC... [--fusion M] [--chunk ..] [--cache DIR]
//               [--report-split NAME] [--json]
// --json prints one object {"fusion","weights":[one per --member],"split","ndcg@10":{"equal","fitted"}}
// (plus "report":{"split","ndcg@10":{"equal","fitted"}} with --report-split), so the weights
// can be passed to `quarry eval --fusion M --weights ...` on another split.
import { UsageError, type Command } from '../args';
import { hashString } from '../../core/export';
import { FUSION_METHODS, type MemberList } from '../../core/fusion';
import { ensembleNdcg, tuneFusion } from '../../core/learn';
import type { FusionMethod } from '../../core/types';
import { finish, loadSplit, type SplitData } from '../pipeline/data';
import { runMembers } from '../pipeline/members';
import { chunkSpec, DATA_OPTIONS, ENSEMBLE_OPTIONS, evalMemberOptions, fusionMethod, memberSpecs, stderrLog } from '../pipeline/options';

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
    holdout: {
      type: 'string',
      valueName: 'F',
      description: 'Fit on a seeded share 1−F of the split\'s queries and report on the other F (e.g. 0.5); with --report-split, that split instead',
    },
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
    chunkSpec(args); // a bad --chunk is a usage error before any data is read
    const split = args.string('split', 'dev');
    const reportSplit = args.string('report-split');
    const log = stderrLog(io);
    const dir = args.requireString('data');

    const memberLists = async (data: SplitData): Promise<Map<string, MemberList[]>> => {
      const runs = await runMembers(specs, data.docs, data.queries, evalMemberOptions(args, io, log));
      return new Map(data.queries.map((q) => [q.id, runs.map((r) => ({ name: r.name, weight: 1, hits: r.lists.get(q.id) ?? [] }))]));
    };

    const holdout = args.has('holdout') ? args.number('holdout', 0) : undefined;
    if (holdout !== undefined && !(holdout > 0 && holdout < 1)) throw new UsageError('--holdout must be a fraction in (0, 1), e.g. 0.5');
    if (holdout !== undefined && reportSplit !== undefined) throw new UsageError('give either --holdout or --report-split');

    const data = await loadSplit(dir, split, io, log);
    const lists = await memberLists(data);
    // --holdout: queries are assigned by a hash of their id, so the same query always lands on the same side.
    const held = holdout === undefined ? undefined : new Set([...data.qrels.keys()].filter((q) => hashString(q, 0x5eed) / 2 ** 32 < holdout));
    const fitQrels = held ? new Map([...data.qrels].filter(([q]) => !held.has(q))) : data.qrels;
    const fit = tuneFusion(lists, fitQrels, { methods: only ? [only] : FUSION_METHODS });
    const equal = fit.equal[baseline];
    log(`tuned on ${split}: ${fit.evaluations} weight vectors tried; ${fit.fusion} ${fit.weights.join(',')} nDCG@10 ${fit.fitted.toFixed(4)} (equal ${baseline} ${equal.toFixed(4)})`);

    let report: { split: string; equal: number; fitted: number } | undefined;
    if (held) {
      const heldQrels = new Map([...data.qrels].filter(([q]) => held.has(q)));
      report = {
        split: `${split} (held out: ${heldQrels.size} of ${data.qrels.size} queries)`,
        equal: ensembleNdcg(lists, heldQrels, baseline, specs.map(() => 1)),
        fitted: ensembleNdcg(lists, heldQrels, fit.fusion, fit.weights),
      };
    }
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
      return finish(data, log);
    }
    const lines = [
      `${data.dir} — fitted on split ${split} (${fitQrels.size} queries with qrels)`,
      `fusion ${fit.fusion}, weights ${fit.weights.join(',')}  (--fusion ${fit.fusion} --weights ${fit.weights.join(',')})`,
      `nDCG@10 on ${split}: equal (${baseline}) ${equal.toFixed(4)}, fitted ${fit.fitted.toFixed(4)}`,
    ];
    if (report) lines.push(`nDCG@10 on ${report.split} (not fitted on): equal (${baseline}) ${report.equal.toFixed(4)}, fitted ${report.fitted.toFixed(4)}`);
    io.stdout(lines.join('\n') + '\n');
    return finish(data, log);
  },
};
