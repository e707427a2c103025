export { exactTopK, dot, TopKAccumulator } from './exact-topk';
export type { TopKResult, TopKOptions } from './exact-topk';
export { topKHits } from './hits';
export { TopKHeap } from './heap';
