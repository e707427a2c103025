// Characters that change how text looks without being seen: bidirectional controls (a
// U+202E turns `gnp.exe` into what reads as "exe.png"), zero-width characters, and terminal
// control bytes (ESC sequences recolour or rewrite a terminal). Imported text is data: the
// Review page shows these as visible markers and the CLI escapes them in its messages.

/**
 * Bidi embeddings/overrides/isolates and marks, zero-width and invisible format characters,
 * the BOM, and the invisible math operators. Each one gets a visible ⟨U+XXXX⟩ marker.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

/** C0 controls except tab and newline, DEL and C1 controls (ESC, CSI, OSC, BEL, CR...). */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

const hex = (c: string): string => c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');

/** The marker shown in place of an invisible character, e.g. `⟨U+202E⟩`. */
export function invisibleMarker(c: string): string {
  return `⟨U+${hex(c)}⟩`;
}

/** True when the text holds a character that `revealInvisible` would replace. */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  return INVISIBLE.test(text);
}

/**
 * Text as a reviewer should see it: every bidi control and zero-width character replaced by
 * its ⟨U+XXXX⟩ marker, so "gnp.exe" with an override reads as written. Search and highlight
 * run on this same string, so searching for what is shown finds it.
 */
export function revealInvisible(text: string): string {
  return text.replace(INVISIBLE, invisibleMarker);
}

/** The text without its invisible characters: what a reader types for what they see. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * Whether a search term (lower-cased) finds a text as the Review page shows it: in the text
 * with its invisible characters revealed as markers (typing what is shown, markers included)
 * or removed (typing the visible letters only).
 */
export function matchesShown(text: string, needle: string): boolean {
  if (text.toLowerCase().includes(needle)) return true;
  if (!hasInvisible(text)) return false;
  return revealInvisible(text).toLowerCase().includes(needle) || stripInvisible(text).toLowerCase().includes(needle);
}

/**
 * A message line safe to print to a terminal: control bytes and line breaks from input
 * files become `\xNN` / `\n` escapes, and bidi/zero-width characters `\u{XXXX}`, so a file
 * cannot recolour, clear or rewrite the user's terminal or reorder what they read.
 */
export function escapeForTerminal(text: string): string {
  return text
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(TERMINAL_CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(INVISIBLE, (c) => `\\u{${hex(c)}}`);
}
