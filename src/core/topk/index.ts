export { exactTopK, dot } from './exact-topk';
export type { TopKResult, TopKOptions } from './exact-topk';
export { topKHits } from './hits';
export { TopKHeap } from './heap';
