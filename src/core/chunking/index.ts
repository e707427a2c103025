export { parseChunkSpec, chunkTokens, chunkParagraphs, chunkSentences, chunkText, chunkDocument, DEFAULT_PARAGRAPH_CHARS, DEFAULT_SENTENCE_CHARS, DEFAULT_MAX_CHUNKS } from './chunk';
export type { Chunk, ChunkSpec, DocChunk } from './chunk';
export { chunkId, parseChunkId, maxP, maxPHits } from './maxp';
export type { MaxPHit } from './maxp';
