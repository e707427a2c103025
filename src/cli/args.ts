// Argument parsing shared by every `quarry` subcommand.
//
// A command declares its options once (name, type, value name, help text); the same
// declaration drives parsing (node:util parseArgs, strict) and the generated usage text,
// so `--help` can never drift from what is accepted. Bad arguments become a UsageError
// with a one-line message; main.ts prints it without a stack trace.
import { parseArgs } from 'node:util';

/** An error caused by the user's input (arguments, files): printed as one message, no stack. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}

/** A bad command line: exit status 2, and main.ts appends a hint to `--help`. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given several times (`--member a --member b`); read with ParsedArgs.strings(). */
  multiple?: boolean;
  short?: string;
  /** Placeholder shown in usage, e.g. 'DIR' for `--data DIR`. */
  valueName?: string;
  /** Default shown in usage (the command applies it when reading the value). */
  defaultText?: string;
  required?: boolean;
  description: string;
}

export type OptionsSpec = Record<string, OptionSpec>;

/** Where a command writes. Tests pass collectors; the real CLI passes process streams. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Binary output to stdout (`--out -` with Parquet); absent where stdout takes text only. */
  stdoutBytes?(data: Uint8Array): void;
  /** Directory relative paths are resolved against. */
  cwd: string;
}

/** One `quarry` subcommand. A file in src/cli/commands/ exports `command: Command`. */
export interface Command {
  name: string;
  /** One line for the command list in `quarry help`. */
  summary: string;
  /** Extra usage text (after the generated option list): examples, notes. */
  details?: string;
  options: OptionsSpec;
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

type Value = string | boolean | string[] | boolean[] | undefined;

/** Typed, validated access to the options of one command invocation. */
export class ParsedArgs {
  constructor(
    readonly command: string,
    private readonly values: Record<string, Value>,
    readonly positionals: string[],
  ) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  /** A string option (last one wins if repeated and not declared `multiple`). */
  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    const v = this.values[name];
    if (v === undefined) return fallback;
    if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : fallback;
    return String(v);
  }

  /** A string option that must be present. */
  requireString(name: string): string {
    const v = this.string(name);
    if (v === undefined || v === '') throw new UsageError(`missing required option --${name}`);
    return v;
  }

  /** All values of a repeatable option, in command-line order. */
  strings(name: string): string[] {
    const v = this.values[name];
    if (v === undefined) return [];
    return Array.isArray(v) ? v.map(String) : [String(v)];
  }

  flag(name: string): boolean {
    const v = this.values[name];
    return Array.isArray(v) ? v.length > 0 && Boolean(v[v.length - 1]) : Boolean(v);
  }

  /** An integer option; `min` is inclusive. */
  int(name: string, fallback: number, min = -Infinity): number {
    const s = this.string(name);
    if (s === undefined) return fallback;
    if (!/^[+-]?\d+$/.test(s.trim())) throw new UsageError(`--${name} expects an integer, got "${s}"`);
    const n = Number(s);
    if (n < min) throw new UsageError(`--${name} must be at least ${min}, got ${n}`);
    return n;
  }

  /** A finite number option. */
  number(name: string, fallback: number): number {
    const s = this.string(name);
    if (s === undefined) return fallback;
    const n = Number(s);
    if (s.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got "${s}"`);
    return n;
  }

  /** One of a fixed set of words. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const s = this.string(name);
    if (s === undefined) return fallback;
    if (!(choices as readonly string[]).includes(s)) {
      throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got "${s}"`);
    }
    return s as T;
  }

  /** A comma-separated list of numbers, e.g. `--weights 1,0.5`. */
  numberList(name: string): number[] | undefined {
    const s = this.string(name);
    if (s === undefined) return undefined;
    return s.split(',').map((part) => {
      const n = Number(part);
      if (part.trim() === '' || !Number.isFinite(n)) {
        throw new UsageError(`--${name} expects comma-separated numbers, got "${s}"`);
      }
      return n;
    });
  }
}

/**
 * Parses argv (everything after the subcommand name) against the command's options.
 * Unknown options, missing values and missing required options are UsageErrors.
 * `--help` / `-h` is always accepted and reported through `ParsedArgs.flag('help')`.
 */
export function parseCommandArgs(command: Pick<Command, 'name' | 'options'>, argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, spec] of Object.entries(command.options)) {
    options[name] = { type: spec.type, multiple: spec.multiple === true, ...(spec.short ? { short: spec.short } : {}) };
  }
  let parsed: { values: Record<string, Value>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: false }) as typeof parsed;
  } catch (err) {
    // Only the user's mistakes become usage errors; a bad option declaration is our bug.
    if (String((err as { code?: string }).code ?? '').startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(cleanParseArgsMessage(err));
    }
    throw err;
  }
  const args = new ParsedArgs(command.name, parsed.values, parsed.positionals);
  if (!args.flag('help')) {
    for (const [name, spec] of Object.entries(command.options)) {
      if (spec.required && !args.has(name)) throw new UsageError(`missing required option --${name}`);
    }
  }
  return args;
}

// parseArgs messages are good but mention internals ("To specify a positional argument
// starting with a '-', place it at the end of the command after '--'"); keep the first sentence.
function cleanParseArgsMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  const ambiguous = /^Option '(--[^' ]+)' argument is ambiguous/.exec(msg);
  if (ambiguous) {
    return `option ${ambiguous[1]} needs a value; for a value that starts with "-" write ${ambiguous[1]}=VALUE`;
  }
  const first = msg.split(/(?<=\.)\s/)[0] ?? msg;
  return first.replace(/\.$/, '');
}

/** Usage text generated from the option declarations. */
export function commandUsage(command: Command): string {
  const lines = [`Usage: quarry ${command.name} [options]`, '', command.summary, '', 'Options:'];
  const rows: Array<[string, string]> = [];
  for (const [name, spec] of Object.entries(command.options)) {
    let left = `  ${spec.short ? `-${spec.short}, ` : ''}--${name}`;
    if (spec.type === 'string') left += ` ${spec.valueName ?? 'VALUE'}`;
    let right = spec.description;
    if (spec.required) right += ' (required)';
    if (spec.multiple) right += ' (repeatable)';
    if (spec.defaultText !== undefined) right += ` [default: ${spec.defaultText}]`;
    rows.push([left, right]);
  }
  rows.push(['  -h, --help', 'Show this help']);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  for (const [l, r] of rows) lines.push(l.padEnd(width) + r);
  if (command.details) lines.push('', command.details.trimEnd());
  return lines.join('\n') + '\n';
}
