import { describe, expect, it } from 'vitest';
import { chunksOf, readLines, type LineEvent } from './lines.ts';
import { maybeDecompress, webGunzip } from './gzip.ts';
import { gzipSync } from 'node:zlib';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<LineEvent[]> {
  const out: LineEvent[] = [];
  for await (const e of readLines(chunks)) out.push(e);
  return out;
}

async function* fromParts(...parts: Array<number[] | string>): AsyncIterable<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : Uint8Array.from(p);
}

describe('readLines', () => {
  it('numbers lines, handles CRLF, BOM and a last line without newline', async () => {
    const text = '\uFEFFfirst\r\nsecond\n\nfourth';
    for (const size of [1, 2, 3, 5, 1000]) {
      const ev = await collect(chunksOf(text, size));
      expect(ev).toEqual([
        { line: 'first', lineNo: 1 },
        { line: 'second', lineNo: 2 },
        { line: '', lineNo: 3 },
        { line: 'fourth', lineNo: 4 },
      ]);
    }
  });

  it('does not add an empty line after a final newline', async () => {
    expect(await collect(chunksOf('a\nb\n'))).toEqual([
      { line: 'a', lineNo: 1 },
      { line: 'b', lineNo: 2 },
    ]);
  });

  it('keeps a BOM-like character that is not at the start of the file', async () => {
    const ev = await collect(chunksOf('a\n\uFEFFb'));
    expect(ev[1]).toEqual({ line: '\uFEFFb', lineNo: 2 });
  });

  it('decodes multi-byte characters split across chunks', async () => {
    const text = 'héllo wörld €\n日本語\n';
    const ev = await collect(chunksOf(text, 1));
    expect(ev).toEqual([
      { line: 'héllo wörld €', lineNo: 1 },
      { line: '日本語', lineNo: 2 },
    ]);
  });

  it('reports a line that is not UTF-8 at its number and keeps the others', async () => {
    // line 2 holds 0xff, never valid in UTF-8; line 3 a truncated 3-byte sequence.
    const ev = await collect(fromParts('ok one\nbad ', [0xff], ' here\r\ncut ', [0xe2, 0x82], '\nok four'));
    expect(ev).toEqual([
      { line: 'ok one', lineNo: 1 },
      { error: 'not UTF-8 (invalid byte sequence)', lineNo: 2 },
      { error: 'not UTF-8 (invalid byte sequence)', lineNo: 3 },
      { line: 'ok four', lineNo: 4 },
    ]);
  });

  it('finds a bad line inside one large chunk (BOM and CRLF kept right on the slow path)', async () => {
    const enc = new TextEncoder();
    const bytes = new Uint8Array([...enc.encode('\uFEFFone\r\ntwo\r\nthr'), 0xfe, ...enc.encode('ee\r\nfour\r\n')]);
    expect(await collect(chunksOf(bytes, 1 << 20))).toEqual([
      { line: 'one', lineNo: 1 },
      { line: 'two', lineNo: 2 },
      { error: 'not UTF-8 (invalid byte sequence)', lineNo: 3 },
      { line: 'four', lineNo: 4 },
    ]);
  });

  it('copes with a carried partial line when the producer reuses its buffer', async () => {
    const buf = new Uint8Array(8);
    async function* reuse() {
      for (const s of ['ab', 'cd\nef', 'gh']) {
        buf.fill(0);
        const b = new TextEncoder().encode(s);
        buf.set(b);
        yield buf.subarray(0, b.length);
      }
    }
    expect(await collect(reuse())).toEqual([
      { line: 'abcd', lineNo: 1 },
      { line: 'efgh', lineNo: 2 },
    ]);
  });
});

describe('maybeDecompress', () => {
  it('gunzips gzip data (sniffed by magic bytes) with the web hook and passes plain data through', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const gz = gzipSync(Buffer.from(text));
    const ev = await collect(maybeDecompress(chunksOf(gz, 100), webGunzip));
    expect(ev.length).toBe(2000);
    expect(ev[1999]).toEqual({ line: 'line 1999', lineNo: 2000 });
    const plain = await collect(maybeDecompress(chunksOf(text, 100), webGunzip));
    expect(plain).toEqual(ev);
  });

  it('refuses gzip data when no decompressor is given', async () => {
    const gz = gzipSync(Buffer.from('x\n'));
    await expect(collect(maybeDecompress(chunksOf(gz), undefined, 'corpus.jsonl.gz'))).rejects.toThrow(
      /corpus.jsonl.gz: gzip data, but no decompressor/,
    );
  });
});

describe('streamChunks', () => {
  it('reads a Web ReadableStream (as File.stream() gives) into readLines', async () => {
    const { streamChunks } = await import('./lines.ts');
    const stream = new Blob(['a\nb', '\nc']).stream();
    expect(await collect(streamChunks(stream))).toEqual([
      { line: 'a', lineNo: 1 },
      { line: 'b', lineNo: 2 },
      { line: 'c', lineNo: 3 },
    ]);
  });
});
