// `quarry mine`: hard negatives for every judged query of a split, exported as a training set.
import { UsageError, type Command } from '../args';
import { parseDenoise } from '../../core/denoise';
import { EXPORT_FORMATS, exportTrainingSet, isFlagFormat, isSentenceTransformersFormat, usesTeacherScores, type ExportFormat } from '../../core/formats/export';
import { withTeacherScores } from '../../core/export';
import { describeRange, describeSamplingProfile, meanSamplingProfile, parseRange, parseStrategy, RANGE_SYNTAX, SAMPLINGS, STRATEGY_SYNTAX, type Sampling } from '../../core/selection';
import { parseRerankerSpec, SpecError } from '../../core/spec/member-spec';
import { loadCrossEncoder } from '../../runtime/cross-encoder';
import { nodeSessionOptions } from '../../runtime/node/local-model';
import { openCliModel, loadFromFolder } from '../pipeline/model-load';
import { withScoreCache, type CachedPairScorer } from '../cache/score-cache';
import { withScoreProgress } from '../pipeline/scorer-progress';
import { resolve } from 'node:path';
import { idsSidePath, openOutput, perFormatPath, withOutputs } from '../io/output';
import { finish, loadSplit } from '../pipeline/data';
import { runMembers } from '../pipeline/members';
import { CROSS_ENCODER_SOURCE, defaultScoreSource, describeScoreSource, inCorpusOrder, retrievalDepth } from '../../core/mining';
import { mineSplit } from '../pipeline/mine-run';
import { chunkSpec, DATA_OPTIONS, ENSEMBLE_OPTIONS, ensembleWeights, fusionMethod, maxChunks, memberSpecs, memberWeights, stderrLog } from '../pipeline/options';

/** --format values (repeated or comma-separated), in order, each once; default st-triplet. */
function exportFormats(values: string[]): ExportFormat[] {
  const list = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const f of list) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}; got "${f}"`);
  }
  return list.length ? ([...new Set(list)] as ExportFormat[]) : ['st-triplet'];
}

const exportExtension = (f: ExportFormat) => (f === 'csv' ? 'csv' : f === 'parquet' ? 'parquet' : 'jsonl');

const usage = <T>(what: string, f: () => T): T => {
  try {
    return f();
  } catch (e) {
    throw new UsageError(`--${what}: ${(e as Error).message}`);
  }
};

export const command: Command = {
  name: 'mine',
  summary: 'Mine hard negatives and export a training set',
  options: {
    ...DATA_OPTIONS,
    split: { type: 'string', valueName: 'NAME', defaultText: 'train', description: 'Mine for the queries with qrels in this split' },
    ...ENSEMBLE_OPTIONS,
    reranker: { type: 'string', valueName: 'SPEC', description: 'Cross-encoder for denoising: <model dir>[:dtype=fp32|q8][:max_len=192]' },
    denoise: {
      type: 'string',
      valueName: 'RULE',
      defaultText: 'rel:0.95',
      description: 'With --reranker: none | abs:T | rel:F on sigmoid(logit) (rel: vs the hardest positive); suspected false negatives are dropped',
    },
    strategy: { type: 'string', valueName: 'NAME', defaultText: 'topk', description: STRATEGY_SYNTAX },
    'score-source': {
      type: 'string',
      valueName: 'NAME',
      description: 'Scale the strategy thresholds compare: "fused", a member name, or "cross-encoder" (with --reranker: logits, as sentence-transformers applies margins with a cross_encoder; every candidate in the range is scored) (default: the first dense member\'s cosine; fused scores only when no member is dense)',
    },
    range: {
      type: 'string',
      valueName: RANGE_SYNTAX,
      defaultText: 'window:0:100',
      description:
        'window:MIN:MAX (FlagEmbedding range_for_sampling): fused ranks MIN < rank ≤ MAX, positives counted, before filters. ' +
        'st:MIN:MAX (sentence-transformers range_min/range_max): the first MAX candidates that pass the filters (positives removed), the first MIN skipped. Bare MIN:MAX = window',
    },
    sampling: {
      type: 'string',
      valueName: SAMPLINGS.join('|'),
      defaultText: 'top',
      description: 'How the N negatives are taken from the candidates that pass: top = the first N; random = a seeded uniform sample (ST sampling_strategy, FlagEmbedding)',
    },
    pad: { type: 'boolean', description: 'When fewer than N candidates remain, fill up with random corpus documents (FlagEmbedding hn_mine.py), flagged random' },
    negatives: { type: 'string', valueName: 'N', defaultText: '5', description: 'Hard negatives per query' },
    'random-negatives': { type: 'string', valueName: 'R', defaultText: '0', description: 'Extra random negatives per query' },
    seed: { type: 'string', valueName: 'S', defaultText: '42', description: 'Seed for SimANS and random negatives (per-query streams)' },
    format: {
      type: 'string',
      multiple: true,
      valueName: 'FORMAT[,FORMAT]',
      defaultText: 'st-triplet',
      description: `${EXPORT_FORMATS.join(' | ')}; several (repeated or comma-separated) are written from one mining and scoring pass, to FILE.<format>.<ext>`,
    },
    prompt: {
      type: 'string',
      valueName: 'TEXT',
      description: 'Query instruction for the FlagEmbedding formats: written as "prompt" (flag, the embedder) or "query_prompt" (flag-reranker)',
    },
    positives: {
      type: 'string',
      valueName: 'first|each',
      defaultText: 'first',
      description: 'sentence-transformers formats: a row for the first positive of a query, or one per (query, positive) as mine_hard_negatives writes',
    },
    'include-scores': {
      type: 'boolean',
      description: 'sentence-transformers include_scores: positive_score/negative_score (triplet), score (labeled pair), scores (labeled list); drop them before training',
    },
    'with-ids': {
      type: 'boolean',
      description: 'Add query_id, positive_id, negative_ids: to each row, except for the st-* formats (their collator tokenises every column) where they go to FILE.ids.jsonl, one line per row',
    },
    out: { type: 'string', valueName: 'FILE', required: true, description: 'Output file; - writes to stdout' },
  },
  details: 'Example: quarry mine --data ../shared/data/debian-pkgs --member dense:../shared/models/pkgs-minilm --member bm25 --strategy percpos:0.95 --negatives 5 --format st-ntuple --out train.jsonl',
  async run(args, io) {
    const specs = memberSpecs(args);
    const fusion = fusionMethod(args);
    const { fusion: weights, concat } = ensembleWeights(args, memberWeights(args, specs.length));
    const chunk = chunkSpec(args);
    const strategy = usage('strategy', () => parseStrategy(args.string('strategy', 'topk')));
    const range = usage('range', () => parseRange(args.string('range', '0:100')));
    const sampling = args.choice<Sampling>('sampling', SAMPLINGS, 'top');
    const pad = args.flag('pad');
    const negatives = args.int('negatives', 5, 0);
    const randomNegatives = args.int('random-negatives', 0, 0);
    const seed = args.int('seed', 42);
    const formats = exportFormats(args.strings('format'));
    const rerankerSpec = args.has('reranker')
      ? usage('reranker', () => {
          try {
            return parseRerankerSpec(args.requireString('reranker'));
          } catch (e) {
            throw e instanceof SpecError ? new Error(e.message) : e;
          }
        })
      : undefined;
    const prompt = args.string('prompt');
    if (prompt !== undefined && !formats.some(isFlagFormat)) throw new UsageError('--prompt is written only by --format flag or flag-reranker');
    if (args.string('score-source') === CROSS_ENCODER_SOURCE && !rerankerSpec) throw new UsageError('--score-source cross-encoder needs --reranker');
    const positives = args.choice<'first' | 'each'>('positives', ['first', 'each'], 'first');
    if (formats.includes('st-ntuple-scores') && !rerankerSpec) {
      throw new UsageError('--format st-ntuple-scores writes cross-encoder scores: give --reranker SPEC (--denoise none to keep every negative)');
    }
    if (formats.includes('lce') && !rerankerSpec) {
      throw new UsageError("--format lce writes token ids of the reranker's tokenizer (luyug/Reranker reads ids): give --reranker SPEC (--denoise none to keep every negative), or use --format lce-text for text");
    }
    const rule = usage('denoise', () => parseDenoise(args.string('denoise', 'rel:0.95'), 'drop'));
    // Checked before any work: an unwritable --out fails now, not after mining.
    const toStdout = ['-', undefined].includes(args.string('out'));
    const sideFormat = formats.find(isSentenceTransformersFormat);
    if (args.flag('with-ids') && sideFormat && toStdout) {
      throw new UsageError(`--with-ids with --format ${sideFormat} writes the ids to FILE.ids.jsonl beside --out FILE (the rows keep only trainer columns): give a file, not stdout`);
    }
    if (formats.length > 1 && toStdout) throw new UsageError('several --format values write one file each: give --out FILE, not stdout');
    const outArg = args.requireString('out');
    const outs = formats.map((f) => openOutput(formats.length > 1 ? perFormatPath(outArg, f, exportExtension(f)) : outArg, io));
    const log = stderrLog(io);
    return withOutputs(outs, async () => {
      const loaded = await loadSplit(args.requireString('data'), args.string('split', 'train'), io, log);
      // Index documents in the app's order (core corpusOrder): equal scores then tie the same way.
      const data = { ...loaded, docs: inCorpusOrder(loaded.docs) };
      // The same depth as the Mine page (core retrievalDepth), so both fuse the same lists.
      const depth = retrievalDepth(range.max);
      const runs = await runMembers(specs, data.docs, data.queries, { depth, chunk, maxChunks: maxChunks(args), cacheDir: args.string('cache'), cwd: io.cwd, log, concat });
      const names = runs.map((r) => r.name);
      const kinds = runs.map((r) => ({ name: r.name, dense: r.spec.kind === 'dense' || r.spec.kind === 'concat' }));
      const scoreSource = args.string('score-source') ?? defaultScoreSource(kinds);
      if (scoreSource !== CROSS_ENCODER_SOURCE && scoreSource !== 'fused' && !names.includes(scoreSource)) {
        throw new UsageError(`--score-source must be "fused", "cross-encoder" or a member name (${names.join(', ')}); got "${scoreSource}"`);
      }
      log(`strategy ${args.string('strategy', 'topk')} on ${describeScoreSource(scoreSource, kinds, fusion)}, ${negatives} per query, sampling ${strategy.kind === 'simans' ? 'by SimANS weights' : sampling}${pad ? ', padded with random documents' : ''}`);
      log(`range ${describeRange(range)}`);

      let reranker;
      let tokenIds: ((text: string) => number[]) | undefined;
      let ceCache: CachedPairScorer | undefined;
      if (rerankerSpec) {
        const opened = openCliModel(io.cwd, rerankerSpec.model, rerankerSpec.dtype, rerankerSpec.given.includes('dtype'));
        const scorer = await loadFromFolder(io.cwd, rerankerSpec.model, opened.dtype, () =>
          loadCrossEncoder(opened.source, { dtype: opened.dtype, maxLen: rerankerSpec.maxLen, sessionOptions: nodeSessionOptions() }),
        );
        // --cache keeps cross-encoder scores too, behind the scorer interface.
        const cacheDir = args.string('cache');
        // Progress inside the cache: it reports the pairs the model really scores.
        const progressed = withScoreProgress(scorer, log);
        ceCache = cacheDir ? withScoreCache(progressed, resolve(io.cwd, cacheDir, 'cross-encoder')) : undefined;
        reranker = { scorer: ceCache ?? progressed, rule };
        tokenIds = (text) => scorer.tokenIds(text);
      }
      const outcome = await mineSplit(data, runs, { fusion, weights, strategy, scoreSource, range, sampling, pad, negatives, randomNegatives, seed, reranker, log });
      let examples = prompt === undefined ? outcome.examples : outcome.examples.map((e) => ({ ...e, prompt }));
      if (reranker && formats.some(usesTeacherScores)) {
        // mineWithCrossEncoder already scored every mined passage (random negatives included);
        // this only fills a gap should one remain, so pos_scores / neg_scores are in every row.
        const filled = await withTeacherScores(examples, reranker.scorer);
        if (filled.scored) log(`cross-encoder: scored ${filled.scored} more passages (random negatives) for pos_scores/neg_scores`);
        examples = filled.examples;
      }
      const written = formats.map((format, i) => {
        const out = outs[i];
        // Every format from the same examples: one mining and one cross-encoder pass for all.
        const output = exportTrainingSet(examples, format, { withIds: args.flag('with-ids'), tokenIds, positives, includeScores: args.flag('include-scores') });
        out.write(output.data);
        if (output.ids !== undefined) {
          const side = openOutput(idsSidePath(out.label), io);
          side.write(output.ids);
          side.commit();
          log(`ids of every row in ${side.label}`);
        }
        return { format, output, out };
      });
      if (ceCache) log(`cross-encoder cache: ${ceCache.stats.scored} pairs scored, ${ceCache.stats.cached} from the cache`);
      const mined = outcome.results.reduce((n, r) => n + r.negatives.length, 0);
      const droppedText = Object.entries(outcome.dropped)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      log(`${outcome.results.length} queries, ${mined} negatives (${(mined / Math.max(outcome.results.length, 1)).toFixed(2)} per query); not used: ${droppedText || 'none'}`);
      const profile = meanSamplingProfile(outcome.results.flatMap((r) => (r.sampling ? [r.sampling] : [])));
      if (profile) log(`simans sampling (mean over queries): ${describeSamplingProfile(profile)}`);
      const excluded = Object.entries(outcome.excluded).filter(([, v]) => v > 0);
      if (excluded.length) log(`excluded from the export (flagged; no reviewer accepted them): ${excluded.map(([k, v]) => `${k} ${v}`).join(', ')}`);
      for (const { format, output, out } of written) {
        for (const note of output.notes) log(`${format}: ${note}`);
        if (output.skipped.length) log(`${output.skipped.length} queries skipped by the ${format} writer (e.g. ${output.skipped[0].queryId}: ${output.skipped[0].reason})`);
        log(`wrote ${output.rows} ${formats.length > 1 ? `${format} ` : ''}rows to ${out.label}`);
      }
      return finish(data, log);
    });
  },
};
