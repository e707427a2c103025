// `quarry` command-line entry: dispatches a subcommand from the registry below.
//
// Registering a command: create src/cli/commands/<name>.ts exporting
// `export const command: Command = {...}` (see src/cli/args.ts) and list it in COMMANDS
// with a one-line summary. Commands load lazily, so `quarry stats` never pays for
// loading the model runtime that `rank`/`eval`/`mine` need.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { commandUsage, parseCommandArgs, UsageError, UserError, type CliIO, type Command } from './args.ts';
import { describeSystemError, isSystemError, terminalLine } from './errors.ts';
import { readFileSync } from 'node:fs';

interface CommandEntry {
  summary: string;
}

/** Every subcommand, in the order `quarry help` lists them. Add one line per command. */
export const COMMANDS: Record<string, CommandEntry> = {
  stats: { summary: 'Count documents, queries and qrels of a BEIR folder and check every line' },
  rank: { summary: 'Rank the corpus for each query with an ensemble; write one JSON line per query' },
  eval: { summary: 'Evaluate members and their fusion on a split (nDCG@10, MRR@10, recall)' },
  mine: { summary: 'Mine hard negatives and export a training set' },
  tune: { summary: 'Fit fusion weights on a labelled split (nDCG@10); they feed eval/mine --weights' },
};

const HELP_COMMANDS = new Set(['help', '--help', '-h']);
const VERSION_COMMANDS = new Set(['version', '--version', '-V']);

/** The package version, from package.json (one source of truth). */
export function quarryVersion(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  return pkg.version;
}

function mainUsage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length)) + 2;
  const list = Object.entries(COMMANDS)
    .map(([name, e]) => `  ${name.padEnd(width)}${e.summary}`)
    .join('\n');
  return [
    'Usage: quarry <command> [options]',
    '',
    'Hard-negative mining from the command line: the same pipeline as the Quarry app.',
    '',
    'Commands:',
    list,
    `  ${'help'.padEnd(width)}Show this text, or \`quarry help <command>\` for one command`,
    `  ${'version'.padEnd(width)}Print the version (also -V, --version)`,
    '',
    'DIR arguments are BEIR folders: corpus.jsonl, queries.jsonl, qrels/<split>.tsv (.jsonl.gz accepted).',
    '',
  ].join('\n');
}

/** Loads src/cli/commands/<name>.ts; a registered command whose file is missing is a user-facing error. */
async function loadCommand(name: string): Promise<Command> {
  const file = fileURLToPath(new URL(`./commands/${name}.ts`, import.meta.url));
  if (!existsSync(file)) throw new UserError(`quarry ${name} is not available in this build (no ${file})`);
  const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { command?: Command };
  if (!mod.command) throw new Error(`src/cli/commands/${name}.ts does not export \`command\``);
  return mod.command;
}

let epipeHandled = false;

function processIO(): CliIO {
  // `quarry rank ... | head`: the reader went away; stop quietly instead of an EPIPE stack.
  if (!epipeHandled) {
    epipeHandled = true;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    stdoutBytes: (b) => void process.stdout.write(b),
    cwd: process.cwd(),
  };
}

/**
 * Runs `quarry` with the given arguments (without `node` and the script path) and
 * returns the exit status: 0 success, 1 failure or bad input data, 2 bad command line.
 * User errors print one line to stderr; a stack trace only for real bugs or with QUARRY_DEBUG=1.
 */
export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP_COMMANDS.has(name)) {
    const topic = rest[0];
    if (name !== undefined && topic !== undefined) {
      if (!(topic in COMMANDS)) {
        io.stderr(`quarry: unknown command "${topic}"\n\n${mainUsage()}`);
        return 2;
      }
      return runGuarded(topic, async () => {
        io.stdout(commandUsage(await loadCommand(topic)));
        return 0;
      }, io);
    }
    (name === undefined ? io.stderr : io.stdout)(mainUsage());
    return name === undefined ? 2 : 0;
  }
  if (VERSION_COMMANDS.has(name)) {
    io.stdout(`quarry ${quarryVersion()}\n`);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    io.stderr(`quarry: unknown command "${name}"\n\n${mainUsage()}`);
    return 2;
  }
  return runGuarded(name, async () => {
    const command = await loadCommand(name);
    const args = parseCommandArgs(command, rest);
    if (args.flag('help')) {
      io.stdout(commandUsage(command));
      return 0;
    }
    return command.run(args, io);
  }, io);
}

async function runGuarded(name: string, body: () => Promise<number>, io: CliIO): Promise<number> {
  try {
    return await body();
  } catch (err) {
    // User errors, including the system's (a missing, unwritable or occupied path), are one
    // line naming the file and the problem: no stack, no "internal error".
    if (err instanceof UserError) {
      const hint = err instanceof UsageError ? ` (see \`quarry ${name} --help\`)` : '';
      io.stderr(`quarry ${name}: ${terminalLine(err.message)}${hint}\n`);
      return err.exitCode;
    }
    if (isSystemError(err)) {
      io.stderr(`quarry ${name}: ${terminalLine(describeSystemError(err))}\n`);
      return 1;
    }
    const e = err as Error;
    const debug = process.env.QUARRY_DEBUG === '1';
    io.stderr(`quarry ${name}: internal error: ${terminalLine(e instanceof Error ? e.message : String(err))}\n`);
    if (debug && e instanceof Error && e.stack) io.stderr(e.stack + '\n');
    else io.stderr('(set QUARRY_DEBUG=1 for a stack trace)\n');
    return 1;
  }
}
