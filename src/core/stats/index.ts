export { StatsAccumulator, formatStatsTable, type DataStats, type SplitStats } from './stats.ts';
export { summarize, nearestRank, countWords, type Summary } from './percentiles.ts';
export { niceTicks, type NiceTicks } from './ticks.ts';
