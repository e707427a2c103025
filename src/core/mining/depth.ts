// How deep each member retrieves when mining. The app and the CLI must fuse the very same
// lists, or fused ranks (and so the negatives) differ between them: both take it from here.

/** 100: recall@100 is exact, and fusion sees the lists `quarry eval` fuses. */
export const MEMBER_DEPTH = 100;

/** Per-member depth for a rank window ending at `rangeMax`: at least MEMBER_DEPTH. */
export function retrievalDepth(rangeMax: number): number {
  return Math.max(MEMBER_DEPTH, rangeMax);
}
