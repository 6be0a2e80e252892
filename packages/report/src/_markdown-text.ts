import { escapeControls } from './escape-controls.js';

const ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };
const ZWSP = '&#8203;';

/**
 * Untrusted text (a record's name, an id, a value, an error message) as inert inline Markdown on
 * one line, safe in a paragraph, a list item and a table cell: control and bidi characters shown
 * as escapes; `<`, `>`, `&` as entities (no HTML, no autolink); Markdown punctuation
 * backslash-escaped (no emphasis, link, image, code span, strikethrough, math or cell break); a
 * zero-width space (`&#8203;`, visible in the source) after `@`, after `#` before a number and
 * inside `://` and `www.`, so GitHub makes no mention, no issue reference and no link; a leading
 * block marker escaped.
 */
export function markdownText(text: string): string {
  return escapeControls(text)
    .replace(/[\\`*_[\]|~$<>&]/g, (char) => ENTITIES[char] ?? `\\${char}`)
    .replace(/#(?=\d)/g, `#${ZWSP}`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/\b(gh)-(?=\d)/gi, `$1${ZWSP}-`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\b(www)\./gi, `$1${ZWSP}.`)
    .replace(/^ +/, (spaces) => '&#32;'.repeat(spaces.length))
    .replace(/^([#+-]|=+(?=\s*$))(?=\s|$)/, '\\$1')
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/**
 * Untrusted text for Markdown read in a terminal, not by GitHub: control and bidi characters shown
 * as escapes (a terminal acts on them, GitHub does not need to) and `|` escaped (a table cell
 * stays one cell); nothing else, so an email or a URL reads and copies as it is.
 */
export function terminalText(text: string): string {
  return escapeControls(text).replace(/\|/g, '\\|');
}

/** An event kind or error code as a code span when it is a plain identifier, else as `escape` makes text. */
export function markdownIdentifier(text: string, escape: (text: string) => string = markdownText): string {
  return /^[\w.:-]+$/.test(text) ? `\`${text}\`` : escape(text);
}
