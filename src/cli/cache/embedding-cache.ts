// Embeddings on disk, so a second `quarry eval --cache DIR` embeds nothing new.
//
// Layout: DIR/<sha256(model key) first 16 hex>/<role>/ holds `meta.json` (the full key, role
// and dim, checked on open) and shard files. A shard is binary, little-endian:
//   8 bytes magic "QEMBSHD1" | u32 dim | u32 count | count × 32-byte sha256(text) |
//   count × dim float32
// Each embed call appends new shards (one per `flushEvery` texts) written to a temporary
// name and renamed into place, so an interrupted run keeps every finished shard and never
// leaves a half-written one where a reader would look. Readers skip files whose size does
// not match their header (and say so), so a damaged shard costs a re-embed, not a crash.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress, TextEmbedder, TextRole } from '../../core/models';
import { UserError } from '../args';
import { ensureDir } from '../io/output';

const MAGIC = Buffer.from('QEMBSHD1', 'latin1');
const HEADER = 16;
const SHARD_EXT = '.f32bin';

export function textHash(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Vectors of one (model key, role) on disk, loaded into memory on open. */
export class EmbeddingStore {
  private readonly vectors = new Map<string, Float32Array>();
  readonly warnings: string[] = [];

  private constructor(
    readonly dir: string,
    readonly dim: number,
  ) {}

  static open(root: string, modelKey: string, role: TextRole, dim: number): EmbeddingStore {
    const dir = join(root, createHash('sha256').update(modelKey).digest('hex').slice(0, 16), role);
    if (existsSync(root) && !statSync(root).isDirectory()) throw new UserError(`--cache ${root}: exists and is not a folder`);
    ensureDir(dir);
    const metaFile = join(dir, 'meta.json');
    const warnings: string[] = [];
    const meta = existsSync(metaFile) ? readMeta(metaFile) : undefined;
    if (meta && 'damaged' in meta) {
      // A damaged meta.json (a crash mid-write by an older version, a stray edit) must not
      // block every later run: rewrite it; the shards carry their own checks (magic, dim, size).
      warnings.push(`${metaFile}: ${meta.damaged}; rewritten (shards that pass their own checks are kept)`);
    } else if (meta) {
      if (meta.key !== modelKey || meta.role !== role || meta.dim !== dim) {
        throw new UserError(`${metaFile}: cache belongs to ${meta.key} (${meta.role}, dim ${meta.dim}), not ${modelKey} (${role}, dim ${dim}); use another --cache folder`);
      }
    }
    if (!meta || 'damaged' in meta) writeAtomic(metaFile, Buffer.from(JSON.stringify({ key: modelKey, role, dim }, null, 1) + '\n'));
    const store = new EmbeddingStore(dir, dim);
    store.warnings.push(...warnings);
    for (const name of readdirSync(dir).sort()) if (name.endsWith(SHARD_EXT)) store.load(join(dir, name));
    return store;
  }

  get size(): number {
    return this.vectors.size;
  }

  get(hash: Buffer): Float32Array | undefined {
    return this.vectors.get(hash.toString('hex'));
  }

  private load(file: string): void {
    const buf = readFileSync(file);
    const fail = (why: string): void => {
      this.warnings.push(`${file}: ${why}; ignored (its texts will be embedded again)`);
    };
    if (buf.length < HEADER || !buf.subarray(0, 8).equals(MAGIC)) return fail('not an embedding shard (bad magic)');
    const dim = buf.readUInt32LE(8);
    const count = buf.readUInt32LE(12);
    if (dim !== this.dim) return fail(`dim ${dim}, expected ${this.dim}`);
    if (buf.length !== HEADER + count * 32 + count * dim * 4) return fail(`size ${buf.length} does not match ${count} vectors of dim ${dim}`);
    // Copy the floats into their own ArrayBuffer: the Buffer's offset need not be 4-byte
    // aligned. (Typed arrays use the platform's byte order; every supported one is little-endian.)
    const base = buf.byteOffset + HEADER + count * 32;
    const floats = new Float32Array(buf.buffer.slice(base, base + count * dim * 4));
    for (let i = 0; i < count; i++) {
      const h = buf.subarray(HEADER + i * 32, HEADER + (i + 1) * 32).toString('hex');
      this.vectors.set(h, floats.subarray(i * dim, (i + 1) * dim));
    }
  }

  /** Writes one shard (temp file + rename) and adds its vectors to memory. */
  append(hashes: Buffer[], vectors: Float32Array): void {
    const count = hashes.length;
    if (count === 0) return;
    if (vectors.length !== count * this.dim) throw new Error(`append: ${vectors.length} floats for ${count} vectors of dim ${this.dim}`);
    const buf = Buffer.alloc(HEADER + count * 32 + vectors.length * 4);
    MAGIC.copy(buf, 0);
    buf.writeUInt32LE(this.dim, 8);
    buf.writeUInt32LE(count, 12);
    hashes.forEach((h, i) => h.copy(buf, HEADER + i * 32));
    Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength).copy(buf, HEADER + count * 32);
    const name = `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}${SHARD_EXT}`;
    writeAtomic(join(this.dir, name), buf);
    const copy = vectors.slice();
    hashes.forEach((h, i) => this.vectors.set(h.toString('hex'), copy.subarray(i * this.dim, (i + 1) * this.dim)));
  }
}

type Meta = { key: string; role: string; dim: number };

/** meta.json as written by open(), or why it cannot be used. */
function readMeta(file: string): Meta | { damaged: string } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw err; // unreadable (permissions...): the user's to fix
    return { damaged: 'not valid JSON' };
  }
  const m = value as Partial<Meta> | null;
  if (!m || typeof m !== 'object' || typeof m.key !== 'string' || typeof m.role !== 'string' || typeof m.dim !== 'number') {
    return { damaged: 'not a cache description ({"key", "role", "dim"})' };
  }
  return m as Meta;
}

function writeAtomic(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

export interface CacheStats {
  hits: number;
  misses: number;
}

export interface CachedEmbedderOptions {
  /** Texts embedded (and written as one shard) at a time; bounds the work an interruption loses. */
  flushEvery?: number;
  /** Progress over the texts that had to be embedded (cache hits are not counted). */
  onProgress?: (p: Progress & { role: TextRole }) => void;
  /** Damaged shards and the like. */
  onWarning?: (message: string) => void;
}

/**
 * Wraps an embedder with the disk cache: texts seen before (same model key, role and text)
 * come from disk, the rest are embedded in slices of `flushEvery` and written as shards.
 */
export function withEmbeddingCache(
  inner: TextEmbedder,
  root: string,
  opts: CachedEmbedderOptions = {},
): TextEmbedder & { stats: CacheStats } {
  const stores = new Map<TextRole, EmbeddingStore>();
  const stats: CacheStats = { hits: 0, misses: 0 };
  const storeFor = (role: TextRole) => {
    let s = stores.get(role);
    if (!s) {
      s = EmbeddingStore.open(root, inner.key, role, inner.dim);
      for (const w of s.warnings) opts.onWarning?.(w);
      stores.set(role, s);
    }
    return s;
  };
  const flushEvery = opts.flushEvery ?? 2048;
  const wrapped = {
    key: inner.key,
    dim: inner.dim,
    stats,
    async embed(texts: string[], role: TextRole): Promise<Float32Array> {
      const store = storeFor(role);
      const dim = inner.dim;
      const out = new Float32Array(texts.length * dim);
      const hashes = texts.map(textHash);
      // Identical texts are embedded once.
      const missing = new Map<string, number[]>();
      hashes.forEach((h, i) => {
        const v = store.get(h);
        if (v) {
          out.set(v, i * dim);
          stats.hits++;
        } else {
          const k = h.toString('hex');
          const rows = missing.get(k);
          if (rows) rows.push(i);
          else missing.set(k, [i]);
        }
      });
      const todo = [...missing.values()];
      stats.misses += todo.length;
      const started = Date.now();
      for (let s = 0; s < todo.length; s += flushEvery) {
        const slice = todo.slice(s, s + flushEvery);
        const vecs = await inner.embed(slice.map((rows) => texts[rows[0]]), role);
        store.append(slice.map((rows) => hashes[rows[0]]), vecs);
        slice.forEach((rows, j) => {
          for (const r of rows) out.set(vecs.subarray(j * dim, (j + 1) * dim), r * dim);
        });
        const done = Math.min(s + flushEvery, todo.length);
        opts.onProgress?.({ role, done, total: todo.length, rate: done / Math.max((Date.now() - started) / 1000, 1e-3) });
      }
      return out;
    },
  };
  if (inner.tokenSpans) {
    const spans = inner.tokenSpans.bind(inner);
    return Object.assign(wrapped, { tokenSpans: spans });
  }
  return wrapped;
}
