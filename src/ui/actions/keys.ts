// Key bindings as short strings ("a", "shift+a", "space", "arrowdown", "?", "mod+z"),
// matched against KeyboardEvents and shown as key caps. One parser for both, so the
// hints on screen are exactly what the key test accepts.

export interface KeyEventLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** True while an input method (Japanese, Chinese, Korean IME) is composing text. */
  isComposing?: boolean;
  /** 229 on the key events an IME consumes (Chromium, Safari: also the one that ends a composition). */
  keyCode?: number;
}

/**
 * Whether a key press belongs to an IME composition: Japanese users type kana and press
 * Space/Enter to convert; those keys must never decide a candidate or submit a field.
 */
export function isImeKey(e: KeyEventLike): boolean {
  return e.isComposing === true || e.keyCode === 229;
}

const NAMED: Record<string, string> = { space: ' ', esc: 'escape', up: 'arrowup', down: 'arrowdown', left: 'arrowleft', right: 'arrowright' };

interface Parsed {
  key: string;
  shift: boolean;
  mod: boolean;
  alt: boolean;
}

function parse(binding: string): Parsed {
  // "shift++" is not needed; a lone "+" binding would be written "plus".
  const parts = binding.toLowerCase().split('+');
  const key = parts.pop()!;
  return {
    key: key === 'plus' ? '+' : (NAMED[key] ?? key),
    shift: parts.includes('shift'),
    mod: parts.includes('mod') || parts.includes('ctrl'),
    alt: parts.includes('alt'),
  };
}

/**
 * Whether a key event matches a binding. Letters compare case-insensitively and the
 * shift state must match ("a" is not "shift+a"). For symbols that need shift on some
 * layouts ("?"), shift is ignored unless the binding names it. Nothing matches during an
 * IME composition.
 */
export function matchKey(binding: string, e: KeyEventLike): boolean {
  if (isImeKey(e)) return false;
  const p = parse(binding);
  const key = e.key.toLowerCase();
  if (key !== p.key) return false;
  if ((e.ctrlKey || e.metaKey) !== p.mod || e.altKey !== p.alt) return false;
  const isLetterOrNamed = /^[a-z0-9]$/.test(p.key) || p.key.length > 1 || p.key === ' ';
  return isLetterOrNamed || p.shift ? e.shiftKey === p.shift : true;
}

const CAPS: Record<string, string> = {
  ' ': 'Space',
  arrowup: '↑',
  arrowdown: '↓',
  arrowleft: '←',
  arrowright: '→',
  backspace: '⌫',
  escape: 'Esc',
  enter: '↵',
};

/** The key caps of a binding for display, e.g. "shift+a" → ["Shift", "A"]. */
export function keyCaps(binding: string): string[] {
  const p = parse(binding);
  const caps: string[] = [];
  if (p.mod) caps.push('Ctrl');
  if (p.alt) caps.push('Alt');
  if (p.shift) caps.push('Shift');
  caps.push(CAPS[p.key] ?? (p.key.length === 1 ? p.key.toUpperCase() : p.key));
  return caps;
}
