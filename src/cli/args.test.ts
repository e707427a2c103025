import { describe, expect, it } from 'vitest';
import { commandUsage, parseCommandArgs, UsageError, type Command } from './args.ts';

const cmd: Command = {
  name: 'demo',
  summary: 'A demo command.',
  options: {
    data: { type: 'string', valueName: 'DIR', required: true, description: 'BEIR folder' },
    member: { type: 'string', multiple: true, valueName: 'SPEC', description: 'A retriever' },
    top: { type: 'string', valueName: 'N', defaultText: '50', description: 'Hits per query' },
    fusion: { type: 'string', description: 'Fusion method' },
    weights: { type: 'string', description: 'Member weights' },
    json: { type: 'boolean', description: 'JSON output' },
  },
  run: async () => 0,
};

describe('parseCommandArgs', () => {
  it('reads repeatable options in order, typed values and flags', () => {
    const a = parseCommandArgs(cmd, ['--data', 'd', '--member', 'bm25', '--member=dense:m:dtype=q8', '--top', '10', '--json', '--weights', '1,0.5']);
    expect(a.requireString('data')).toBe('d');
    expect(a.strings('member')).toEqual(['bm25', 'dense:m:dtype=q8']);
    expect(a.int('top', 50, 1)).toBe(10);
    expect(a.flag('json')).toBe(true);
    expect(a.numberList('weights')).toEqual([1, 0.5]);
    expect(a.choice('fusion', ['rrf', 'max'] as const, 'rrf')).toBe('rrf');
    expect(a.strings('fusion')).toEqual([]);
  });

  it('turns every bad input into a UsageError with a clear message', () => {
    const bad = (argv: string[], read?: (a: ReturnType<typeof parseCommandArgs>) => unknown) => {
      try {
        const a = parseCommandArgs(cmd, argv);
        read?.(a);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad([])).toBe('missing required option --data');
    expect(bad(['--data', 'd', '--nope'])).toBe("Unknown option '--nope'");
    expect(bad(['--data', 'd', '--top', 'ten'], (a) => a.int('top', 50))).toBe('--top expects an integer, got "ten"');
    expect(bad(['--data', 'd', '--top', '0'], (a) => a.int('top', 50, 1))).toBe('--top must be at least 1, got 0');
    expect(bad(['--data', 'd', '--fusion', 'avg'], (a) => a.choice('fusion', ['rrf', 'max'], 'rrf'))).toBe(
      '--fusion must be one of rrf, max; got "avg"',
    );
    expect(bad(['--data', 'd', '--weights', '1,,2'], (a) => a.numberList('weights'))).toBe('--weights expects comma-separated numbers, got "1,,2"');
  });

  it('accepts --help without the required options', () => {
    expect(parseCommandArgs(cmd, ['--help']).flag('help')).toBe(true);
  });
});

describe('commandUsage', () => {
  it('lists every option with value names, defaults and markers', () => {
    const u = commandUsage(cmd);
    expect(u).toContain('Usage: quarry demo [options]');
    expect(u).toMatch(/--data DIR\s+BEIR folder \(required\)/);
    expect(u).toMatch(/--member SPEC\s+A retriever \(repeatable\)/);
    expect(u).toMatch(/--top N\s+Hits per query \[default: 50\]/);
    expect(u).toMatch(/-h, --help\s+Show this help/);
  });
});

describe('parseCommandArgs edge cases', () => {
  it('explains values that start with a dash, and rejects stray words', () => {
    const msg = (argv: string[]) => {
      try {
        parseCommandArgs(cmd, argv);
        return 'ok';
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(msg(['--data', 'd', '--weights', '-1,2'])).toBe('option --weights needs a value; for a value that starts with "-" write --weights=VALUE');
    expect(parseCommandArgs(cmd, ['--data', 'd', '--weights=-1,2']).numberList('weights')).toEqual([-1, 2]);
    expect(msg(['--data', 'd', 'stray'])).toBe("Unexpected argument 'stray'");
  });
});
