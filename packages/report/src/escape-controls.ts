/**
 * Characters that change what text looks like without being seen: C0 and C1 controls (DEL too),
 * line and paragraph separators, and Unicode format characters (`\p{Cf}`): the bidi embeddings,
 * overrides, isolates and marks behind "Trojan Source" (U+202A–U+202E, U+2066–U+2069, U+200E,
 * U+200F, U+061C), zero-width spaces and joiners, the BOM, soft hyphen, invisible operators and tag
 * characters. A zero-width joiner between two pictographs is the one exception: it is how emoji
 * sequences such as 👩‍💻 are spelled, and it hides or reorders nothing.
 * Tabs and line feeds are in the set only when a single line is asked for.
 */
const CONTROLS = String.raw`(?!(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic}))[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]`;
const MULTILINE_CONTROLS = String.raw`(?![\t\n])${CONTROLS}`;

/** The pattern of `escapeControls` as source text, for the HTML page's own copy of the rule. */
export const CONTROL_PATTERN = CONTROLS;

const SHORT: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export interface EscapeControlsOptions {
  /**
   * Keep tabs and line feeds as they are (text for a terminal that may span lines). By default
   * they are escaped too, so the result is one line.
   * @default false
   */
  readonly multiline?: boolean;
}

const singleLine = new RegExp(CONTROLS, 'gu');
const multiLine = new RegExp(MULTILINE_CONTROLS, 'gu');

/**
 * Shows control and invisible formatting characters as escapes (`\n`, `\t`, `\r`, `\u202E`,
 * `\u{E0041}`), so record-derived text printed to a terminal, written into a commit message or a
 * report is faithful and inert: no line is broken, no terminal sequence runs, no bidi override
 * reorders what follows. Everything else, backslashes included, is left as it is.
 *
 * @example
 * escapeControls('evil\u202Etxt.exe\nnext') // 'evil\\u202Etxt.exe\\nnext'
 */
export function escapeControls(text: string, options: EscapeControlsOptions = {}): string {
  return text.replace(options.multiline ? multiLine : singleLine, escapeOne);
}

function escapeOne(char: string): string {
  const short = SHORT[char];
  if (short) return short;
  const code = char.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16).toUpperCase()}}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}
