import { describe, expect, it } from 'vitest';
import { escapeControls } from './escape-controls.js';

describe('escapeControls', () => {
  it.each([
    { name: 'plain text is unchanged', input: 'Integration Okta: status active → inactive', output: 'Integration Okta: status active → inactive' },
    { name: 'a backslash is left as it is', input: 'C:\\path', output: 'C:\\path' },
    { name: 'line feed, carriage return and tab', input: 'a\nb\r\nc\td', output: 'a\\nb\\r\\nc\\td' },
    { name: 'NUL, ESC (terminal sequences) and DEL', input: '\u0000\u001b[31mred\u007f', output: '\\u0000\\u001B[31mred\\u007F' },
    { name: 'C1 controls (CSI)', input: 'x\u009b2Jy\u0085', output: 'x\\u009B2Jy\\u0085' },
    { name: 'bidi override (Trojan Source)', input: 'evil\u202Etxt.exe', output: 'evil\\u202Etxt.exe' },
    { name: 'every bidi embedding, override and isolate', input: '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069', output: '\\u202A\\u202B\\u202C\\u202D\\u202E\\u2066\\u2067\\u2068\\u2069' },
    { name: 'bidi marks', input: 'a\u200Eb\u200Fc\u061Cd', output: 'a\\u200Eb\\u200Fc\\u061Cd' },
    { name: 'zero-width space, joiners between letters, BOM, word joiner', input: 'ad\u200Bm\u200Din\uFEFF\u2060', output: 'ad\\u200Bm\\u200Din\\uFEFF\\u2060' },
    { name: 'line and paragraph separators', input: 'a\u2028b\u2029c', output: 'a\\u2028b\\u2029c' },
    { name: 'tag characters (invisible text) use the long form', input: 'ok\u{E0041}\u{E0042}', output: 'ok\\u{E0041}\\u{E0042}' },
    { name: 'an emoji ZWJ sequence is kept', input: 'Devs 👩\u200D💻 and ❤\uFE0F\u200D🔥', output: 'Devs 👩\u200D💻 and ❤\uFE0F\u200D🔥' },
    { name: 'letters in other scripts are kept', input: 'Zürich 東京 שלום', output: 'Zürich 東京 שלום' },
  ])('$name', ({ input, output }) => {
    expect(escapeControls(input)).toBe(output);
  });

  it('keeps line feeds and tabs but not the rest with { multiline: true }', () => {
    expect(escapeControls('one\n\ttwo\r\u202E', { multiline: true })).toBe('one\n\ttwo\\r\\u202E');
  });

  it('always yields one line without multiline', () => {
    const every = Array.from({ length: 0x3000 }, (_, i) => String.fromCodePoint(i)).join('');
    expect(escapeControls(every)).not.toMatch(/[\n\r\u2028\u2029\u0085\u202E]/u);
  });
});
