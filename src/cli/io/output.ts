// Where a command's output goes: a file (`--out FILE`) or stdout (`--out -`, or no --out
// where the command allows it). The file is checked when the command starts, before any
// work: its folder is created and a temporary file opened beside it, so an unwritable path
// fails in a second instead of after an hour of embedding. The output is written to that
// temporary file and renamed into place at the end, so a failed or interrupted run never
// leaves a half-written file under the real name.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { UserError, type CliIO } from '../args.ts';
import { describeSystemError, isSystemError } from '../errors.ts';

export interface Output {
  /** For log lines: the file's path, or "stdout". */
  readonly label: string;
  readonly toStdout: boolean;
  /** Appends text or bytes (buffered). */
  write(data: string | Uint8Array): void;
  /** Flushes and, for a file, renames the temporary file into place. */
  commit(): void;
  /** Drops an uncommitted file output (its temporary file); no-op after commit. */
  discard(): void;
}

/**
 * `mkdir -p` that walks the path itself: Node's recursive mkdir loops forever on paths
 * such as /proc/1/x (mkdir answers ENOENT although the parent exists).
 */
export function ensureDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: exists and is not a folder`);
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) ensureDir(parent);
  try {
    mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

const FLUSH_BYTES = 1 << 20;

/** Opens `--out` (undefined or "-" = stdout). Throws a UserError now if the file cannot be written. */
export function openOutput(arg: string | undefined, io: CliIO): Output {
  if (arg === undefined || arg === '-') return stdoutOutput(io);
  const path = resolve(io.cwd, arg);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UserError(`${path}: is a folder; --out needs a file name (or - for stdout)`);
  const tmp = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  let fd: number | undefined;
  try {
    ensureDir(dirname(path));
    fd = openSync(tmp, 'wx');
  } catch (err) {
    if (isSystemError(err)) throw new UserError(`cannot write --out ${describeSystemError(err, path)}`);
    throw err;
  }
  let pending: Array<Buffer> = [];
  let pendingBytes = 0;
  const flush = () => {
    if (fd === undefined || pendingBytes === 0) return;
    const buf = Buffer.concat(pending);
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off);
    pending = [];
    pendingBytes = 0;
  };
  const close = () => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  let done = false;
  return {
    label: path,
    toStdout: false,
    write(data) {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      pending.push(buf);
      pendingBytes += buf.length;
      if (pendingBytes >= FLUSH_BYTES) flush();
    },
    commit() {
      if (done) return;
      flush();
      close();
      renameSync(tmp, path);
      done = true;
    },
    discard() {
      if (done) return;
      done = true;
      close();
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
    },
  };
}

function stdoutOutput(io: CliIO): Output {
  return {
    label: 'stdout',
    toStdout: true,
    write(data) {
      if (typeof data === 'string') io.stdout(data);
      else if (io.stdoutBytes) io.stdoutBytes(data);
      else throw new UserError('this output is binary and cannot be written to this stdout; give --out FILE');
    },
    commit() {},
    discard() {},
  };
}

/** Runs `body` with the output open; commits on success, removes the temporary file otherwise. */
export async function withOutput<T>(out: Output, body: (out: Output) => Promise<T>): Promise<T> {
  try {
    const result = await body(out);
    out.commit();
    return result;
  } finally {
    out.discard();
  }
}

/** Where a sentence-transformers export's ids go: `train.jsonl` → `train.ids.jsonl`. */
export function idsSidePath(path: string): string {
  return path.replace(/(\.jsonl)?(\.gz)?$/i, '') + '.ids.jsonl';
}

/** withOutput for several outputs: all committed when `body` succeeds, none left behind otherwise. */
export async function withOutputs<T>(outs: Output[], body: () => Promise<T>): Promise<T> {
  try {
    const result = await body();
    for (const o of outs) o.commit();
    return result;
  } finally {
    for (const o of outs) o.discard();
  }
}

/** `--out train.jsonl` with several formats: `train.flag.jsonl`, `train.parquet.parquet` → `train.parquet`. */
export function perFormatPath(path: string, format: string, extension: string): string {
  const base = path.replace(/\.(jsonl|json|csv|parquet)(\.gz)?$/i, '');
  return format === extension ? `${base}.${extension}` : `${base}.${format}.${extension}`;
}
