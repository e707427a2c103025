import { describe, expect, it } from 'vitest';
import { escapeForTerminal, hasInvisible, matchesShown, revealInvisible, stripInvisible } from './invisible';

describe('invisible characters', () => {
  it('reveals bidi overrides and zero-width characters as ⟨U+XXXX⟩ markers', () => {
    // Rendered raw, U+202E makes "gnp.exe" read as "exe.png".
    expect(revealInvisible('invoice\u202Egnp.exe')).toBe('invoice⟨U+202E⟩gnp.exe');
    expect(revealInvisible('pass\u200Bword\uFEFF\u2066x\u2069')).toBe('pass⟨U+200B⟩word⟨U+FEFF⟩⟨U+2066⟩x⟨U+2069⟩');
    expect(revealInvisible('plain text, ümlaut, 日本語')).toBe('plain text, ümlaut, 日本語');
    expect(hasInvisible('a\u200Db')).toBe(true);
    expect(hasInvisible('ab')).toBe(false);
    expect(stripInvisible('pass\u200Bword')).toBe('password');
  });

  it('search finds what is shown: the visible letters, or the markers as typed', () => {
    expect(matchesShown('invoice\u202Egnp.exe', 'gnp.exe')).toBe(true);
    expect(matchesShown('pass\u200Bword', 'password')).toBe(true);
    expect(matchesShown('pass\u200Bword', 'pass⟨u+200b⟩word')).toBe(true);
    expect(matchesShown('pass\u200Bword', 'exe')).toBe(false);
  });

  it('escapes terminal control bytes and bidi characters for CLI messages', () => {
    expect(escapeForTerminal('a\u001b[31mred\u0007\r\nb\u202E')).toBe('a\\x1b[31mred\\x07\\x0d\\nb\\u{202E}');
    expect(escapeForTerminal('tab\there ü')).toBe('tab\\there ü');
  });
});
