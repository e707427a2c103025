// Export assembly: which negatives go into which rows, LCE group filling, train/dev split.
export * from './assemble';
export * from './decisions';
export * from './split';
export * from './review-counts';
export { mulberry32, shuffled, hashString } from './random';
export { withTeacherScores } from './teacher-scores';
