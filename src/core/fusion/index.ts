export { fuse, memberStats, parseFusionMethod, FUSION_METHODS } from './fuse';
export type { MemberStats, MemberList, MemberScore, FusedHit, FuseOptions, ExtraDoc } from './fuse';
export { concatVectors } from './concat';
export type { VectorPart } from './concat';
