// Node file reading for the CLI: files as streams of byte chunks, gunzip via node:zlib.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Decompress } from '../../core/formats/gzip.ts';

/** Opens a file as a stream of byte chunks (1 MiB reads). Gzip is undone by the parsers' `decompress` hook. */
export function openChunks(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 1 << 20 });
}

/** Decompress hook for core parsers, backed by node:zlib. */
export const nodeGunzip: Decompress = (chunks) => Readable.from(chunks).pipe(createGunzip());
