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
  parseRange,
  inRange,
  strategyKeeps,
  selectNegatives,
  STRATEGY_SYNTAX,
} from './strategy';
export type { Strategy, RankRange, PoolCandidate, SelectContext } from './strategy';
