// Turning what goes wrong into the one line a user reads: system errors (ENOENT, EACCES,
// EEXIST...) name the path and say the problem in words; everything printed is escaped so
// bytes from input files cannot drive the terminal.
import { escapeForTerminal } from '../core/text/invisible.ts';

const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EEXIST: 'already exists',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many symbolic links',
  EIO: 'input/output error',
  EINVAL: 'invalid argument (this path cannot be used here)',
  EXDEV: 'cannot move across file systems',
  EBUSY: 'busy',
  ETXTBSY: 'busy',
};

/** An error from a system call (fs, spawn): it has an errno `code` and the `syscall` that failed. */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | null;
  return !!e && typeof e === 'object' && typeof e.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string';
}

/** `PATH: what is wrong (CODE)` for a system error; `path` overrides the one the error names. */
export function describeSystemError(err: NodeJS.ErrnoException, path?: string): string {
  const code = err.code ?? 'EUNKNOWN';
  const what = SYSTEM_ERRORS[code] ?? err.message.replace(/^[A-Z]+: /, '').split(',')[0];
  const where = path ?? err.path ?? (err as { dest?: string }).dest;
  return `${where ? `${where}: ` : ''}${what} (${code})`;
}

/** One message line made safe for a terminal (see escapeForTerminal). */
export function terminalLine(text: string): string {
  return escapeForTerminal(text);
}
