import { describe, expect, it } from 'vitest';
import { keyCaps, matchKey } from './keys';
import { ActionManager, type Action } from './manager';

const ev = (key: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean; isComposing: boolean; keyCode: number }> = {}) => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('keys', () => {
  it('matches letters with the exact shift state', () => {
    expect(matchKey('a', ev('a'))).toBe(true);
    expect(matchKey('a', ev('A', { shiftKey: true }))).toBe(false);
    expect(matchKey('shift+a', ev('A', { shiftKey: true }))).toBe(true);
    expect(matchKey('shift+a', ev('a'))).toBe(false);
    expect(matchKey('a', ev('a', { ctrlKey: true }))).toBe(false);
  });
  it('matches named keys and layout-shifted symbols', () => {
    expect(matchKey('space', ev(' '))).toBe(true);
    expect(matchKey('arrowdown', ev('ArrowDown'))).toBe(true);
    expect(matchKey('backspace', ev('Backspace'))).toBe(true);
    expect(matchKey('?', ev('?', { shiftKey: true }))).toBe(true);
    expect(matchKey('shift+z', ev('Z', { shiftKey: true }))).toBe(true);
    expect(matchKey('z', ev('Z', { shiftKey: true }))).toBe(false);
  });
  it('renders key caps', () => {
    expect(keyCaps('shift+a')).toEqual(['Shift', 'A']);
    expect(keyCaps('space')).toEqual(['Space']);
    expect(keyCaps('arrowdown')).toEqual(['↓']);
    expect(keyCaps('?')).toEqual(['?']);
  });
});

describe('IME composition', () => {
  it('no binding matches and no action runs while an IME composes (isComposing or keyCode 229)', () => {
    expect(matchKey('a', ev('a', { isComposing: true }))).toBe(false);
    // Chromium and Safari report the key that ends a composition as keyCode 229
    expect(matchKey('enter', ev('Enter', { keyCode: 229 }))).toBe(false);
    expect(matchKey('a', ev('a', { keyCode: 65 }))).toBe(true);
    const performed: string[] = [];
    const m = new ActionManager([{ name: 'acc', label: 'Accept', keys: ['a'], group: 'g', perform: () => void performed.push('a') }]);
    expect(m.handleKey(ev('a', { isComposing: true }), () => ({}), () => {})).toBe(false);
    expect(m.handleKey(ev('a', { keyCode: 229 }), () => ({}), () => {})).toBe(false);
    expect(performed).toEqual([]);
  });
});

describe('ActionManager', () => {
  it('runs actions one after another in key order, even when the first is slow', async () => {
    const log: string[] = [];
    const slow: Action<{ n: number }> = {
      name: 'slow',
      label: 'Slow',
      keys: ['a'],
      group: 'g',
      perform: async (ctx) => {
        await new Promise((r) => setTimeout(r, 20));
        log.push(`slow${ctx.n}`);
      },
    };
    const fast: Action<{ n: number }> = { name: 'fast', label: 'Fast', keys: ['b'], group: 'g', perform: (ctx) => void log.push(`fast${ctx.n}`) };
    const off: Action<{ n: number }> = { name: 'off', label: 'Off', keys: ['c'], group: 'g', enabled: () => false, perform: () => void log.push('off') };
    const m = new ActionManager([slow, fast, off]);
    let n = 0;
    const ctx = () => ({ n: ++n });
    expect(m.handleKey(ev('a'), ctx, () => {})).toBe(true);
    expect(m.handleKey(ev('c'), ctx, () => {})).toBe(true);
    expect(m.handleKey(ev('b'), ctx, () => {})).toBe(true);
    expect(m.handleKey(ev('q'), ctx, () => {})).toBe(false);
    await m.run('fast', ctx);
    expect(log).toEqual(['slow1', 'fast3', 'fast4']);
  });
  it('keeps going after a failing action and rejects duplicate bindings', async () => {
    const errors: unknown[] = [];
    const bad: Action<null> = { name: 'bad', label: 'Bad', keys: ['x'], group: 'g', perform: () => Promise.reject(new Error('disk full')) };
    const ok: Action<null> = { name: 'ok', label: 'Ok', keys: ['y'], group: 'g', perform: () => undefined };
    const m = new ActionManager([bad, ok]);
    m.handleKey(ev('x'), () => null, (e) => errors.push(e));
    await m.run('ok', () => null);
    expect(String(errors[0])).toContain('disk full');
    expect(() => new ActionManager([bad, { ...ok, keys: ['x'] }])).toThrow(/bound to both/);
  });
});

describe('review actions', () => {
  it('binds the documented keys and only decides with a candidate and no overlay open', async () => {
    const { createReviewActionManager } = await import('./review');
    const m = createReviewActionManager();
    const names = (e: ReturnType<typeof ev>) => m.forKey(e)?.name;
    expect(names(ev('a'))).toBe('accept');
    expect(names(ev('x'))).toBe('reject');
    expect(names(ev('p'))).toBe('promote');
    expect(names(ev(' '))).toBe('skip');
    expect(names(ev('A', { shiftKey: true }))).toBe('acceptAll');
    expect(names(ev('X', { shiftKey: true }))).toBe('rejectFlagged');
    expect(names(ev('z'))).toBe('undo');
    expect(names(ev('Backspace'))).toBe('undo');
    expect(names(ev('Z', { shiftKey: true }))).toBe('redo');
    expect(names(ev('j'))).toBe('next');
    expect(names(ev('ArrowUp'))).toBe('prev');
    expect(names(ev('g'))).toBe('guidelines');
    expect(names(ev('?', { shiftKey: true }))).toBe('help');
    const calls: string[] = [];
    const ctx = {
      hasCurrent: true,
      overlay: null as null | 'help',
      canUndo: false,
      canRedo: false,
      decide: async (l: string) => void calls.push(l),
      acceptAllRemaining: async () => {},
      rejectAllFlagged: async () => {},
      move: () => {},
      moveQuery: () => {},
      undo: async () => void calls.push('undo'),
      redo: async () => {},
      toggleOverlay: () => {},
      closeOverlay: () => {},
      togglePositive: () => {},
    };
    await m.run('accept', () => ctx);
    await m.run('undo', () => ctx); // nothing to undo: ignored
    ctx.overlay = 'help';
    await m.run('reject', () => ctx); // overlay open: ignored
    expect(calls).toEqual(['accept']);
  });
});
