export { mineQuery, denoisePool } from './mine-query';
export { evaluateEnsemble } from './evaluate-ensemble';
export type { EnsembleEvaluation } from './evaluate-ensemble';
export type { MineQueryInput, MineQueryResult, MinePositive, MineSimilarity, CandidateOut, DropReason } from './types';
