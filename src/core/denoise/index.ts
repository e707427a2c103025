export { parseDenoise, isSuspectedFalseNegative, sigmoid } from './denoise';
export type { DenoiseRule, DenoiseAction } from './denoise';
