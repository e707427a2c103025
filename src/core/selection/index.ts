export {
  percPosKeep,
  absoluteMarginKeep,
  relativeMarginKeep,
  absoluteCapKeep,
  triangleKeep,
  simansWeight,
  isNearDuplicate,
  isExactDuplicate,
} from './rules';
export { createRng, queryRng, weightedSampleWithoutReplacement, sampleUniformExcluding } from './random';
export {
  parseStrategy,
  formatStrategy,
  strategyKeeps,
  selectNegatives,
  STRATEGY_SYNTAX,
  SIMANS_DEFAULTS,
  SAMPLINGS,
} from './strategy';
export type { Strategy, PoolCandidate, SelectContext, Sampling } from './strategy';
export { parseRange, formatRange, describeRange, inRange, rangeConsiders, rangeAfterFilters, RANGE_SEMANTICS, RANGE_SYNTAX } from './range';
export type { RankRange, RangeSemantics } from './range';
export { samplingProfile, simansProfile, meanSamplingProfile, describeSamplingProfile } from './sampling-profile';
export type { SamplingProfile } from './sampling-profile';
