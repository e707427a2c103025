// Gzip handling kept behind a hook so core stays free of node:zlib. The browser and
// workers pass `webGunzip` (DecompressionStream); the CLI passes `nodeGunzip` from src/cli/io.

export type Decompress = (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

/** Gunzip through the Web Streams DecompressionStream (browsers, workers, Node >= 18). */
export const webGunzip: Decompress = async function* (chunks) {
  const input = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for await (const c of chunks) controller.enqueue(c);
        controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
  });
  const reader = input.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
};

/**
 * Passes plain data through and gunzips gzip data, detected by its magic bytes (1f 8b)
 * rather than by file name, so a mislabelled file still works.
 */
export async function* maybeDecompress(
  chunks: AsyncIterable<Uint8Array>,
  decompress?: Decompress,
  fileName = 'input',
): AsyncIterable<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length === 0) first = await it.next();
  if (first.done) return;
  // Re-assemble the stream with the sniffed chunk in front.
  const whole = (async function* () {
    yield first.value as Uint8Array;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  })();
  const head = first.value as Uint8Array;
  const gz = head[0] === 0x1f && (head.length < 2 || head[1] === 0x8b);
  if (!gz) {
    yield* whole;
    return;
  }
  if (!decompress) throw new Error(`${fileName}: gzip data, but no decompressor was given`);
  try {
    yield* decompress(whole);
  } catch (err) {
    throw new Error(`${fileName}: cannot gunzip (${err instanceof Error ? err.message : String(err)})`);
  }
}
