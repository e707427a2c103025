export { parseChunkSpec, chunkTokens, chunkParagraphs, chunkText, DEFAULT_PARAGRAPH_CHARS } from './chunk';
export type { Chunk, ChunkSpec } from './chunk';
export { chunkId, parseChunkId, maxP, maxPHits } from './maxp';
export type { MaxPHit } from './maxp';
