// Finding and loading a BEIR folder on disk: corpus.jsonl[.gz], queries.jsonl[.gz],
// qrels/<split>.tsv[.gz].
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CliIO } from '../args.ts';
import { UserError } from '../args.ts';
import { describeSystemError, isSystemError, terminalLine } from '../errors.ts';
import { loadBeir, type BeirData, type BeirSource, type ChunkSource } from '../../core/formats/beir.ts';
import { nodeGunzip, openChunks } from './open.ts';

function source(dir: string, file: string): ChunkSource {
  return { name: relative(dir, file) || file, open: () => openChunks(file) };
}

function findOne(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new UserError(`${dir}: not a BEIR folder: no ${base} (or ${base}.gz)`);
}

/** Locates the files of a BEIR folder; a missing folder or corpus/queries file is a UserError. */
export function beirFolder(dir: string): BeirSource {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder`);
  const qrels: Record<string, ChunkSource> = {};
  const qrelsDir = join(dir, 'qrels');
  if (existsSync(qrelsDir) && statSync(qrelsDir).isDirectory()) {
    for (const name of readdirSync(qrelsDir).sort()) {
      const m = /^(.+)\.tsv(\.gz)?$/.exec(name);
      if (m && !(m[1] in qrels)) qrels[m[1]] = source(dir, join(qrelsDir, name));
    }
  }
  return {
    corpus: source(dir, findOne(dir, 'corpus.jsonl')),
    queries: source(dir, findOne(dir, 'queries.jsonl')),
    qrels,
  };
}

/**
 * Loads a BEIR folder (all splits, or just `splits`). Bad lines are returned as issues
 * with paths relative to `dir` (e.g. `qrels/dev.tsv`); a split without a qrels file is a UserError.
 */
export async function loadBeirFolder(dir: string, opts: { splits?: string[] } = {}): Promise<BeirData> {
  const src = beirFolder(dir);
  for (const split of opts.splits ?? []) {
    if (!src.qrels[split]) {
      const have = Object.keys(src.qrels);
      throw new UserError(
        `${dir}: no qrels for split "${split}" (expected qrels/${split}.tsv; found ${have.length ? have.join(', ') : 'no qrels'})`,
      );
    }
  }
  try {
    return await loadBeir(src, { splits: opts.splits, decompress: nodeGunzip });
  } catch (err) {
    throw readFailure(dir, src, err);
  }
}

/**
 * A stream that fails while being read (a truncated .gz, an I/O error) is not a bad line:
 * the command stops with one line naming the file. Programming errors pass through as they are.
 */
export function readFailure(dir: string, src: BeirSource, err: unknown): unknown {
  if (err instanceof UserError || err instanceof TypeError || err instanceof ReferenceError) return err;
  if (isSystemError(err)) return new UserError(`cannot read ${describeSystemError(err)}`);
  const msg = err instanceof Error ? err.message : String(err);
  const names = [src.corpus.name, src.queries.name, ...Object.values(src.qrels).map((f) => f.name)];
  const file = names.find((n) => msg.startsWith(`${n}:`) || msg.startsWith(`${n} `));
  const where = file ? `${join(dir, file)}${msg.slice(file.length)}` : `${dir}: ${msg}`;
  return new UserError(`${where} (the file could not be read to its end; nothing was written)`);
}

/** Formats issues the way every command prints them: `file:line: reason`. */
export function formatIssue(dir: string, issue: { file: string; line: number; reason: string }): string {
  const file = join(dir, issue.file);
  // Reasons quote ids and text from the file: escaped, so they cannot drive the terminal.
  return terminalLine(issue.line > 0 ? `${file}:${issue.line}: ${issue.reason}` : `${file}: ${issue.reason}`);
}

/** The closing line after the issues: what was skipped, and that the exit status says so. */
export function issueSummary(issues: { line: number }[], used: string): string {
  const lines = issues.filter((i) => i.line > 0).length;
  const other = issues.length - lines;
  const parts = [
    ...(lines ? [`${lines} bad line${lines === 1 ? '' : 's'} skipped`] : []),
    ...(other ? [`${other} file problem${other === 1 ? '' : 's'}`] : []),
  ];
  return `${parts.join(', ')}; ${used}; exit status 1`;
}

/**
 * Prints every issue to stderr (`file:line: reason`) followed by a count. Returns the
 * number of issues: a command that skipped anything exits non-zero.
 */
export function reportIssues(io: Pick<CliIO, 'stderr'>, dir: string, issues: { file: string; line: number; reason: string }[]): number {
  for (const issue of issues) io.stderr(formatIssue(dir, issue) + '\n');
  if (issues.length) io.stderr(issueSummary(issues, 'the valid rows were used') + '\n');
  return issues.length;
}
