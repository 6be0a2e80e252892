import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeField, encodeRecord, splitRecord } from './csv.js';

describe('encodeRecord', () => {
  it.each([
    [['a', 'b'], 'a,b'],
    [['', ''], ','],
    [['a,b', 'c'], '"a,b",c'],
    [['say "hi"'], '"say ""hi"""'],
    [['line\nbreak', 'x'], '"line\nbreak",x'],
    [['cr\rhere'], '"cr\rhere"'],
    [[' lead', 'trail ', 'mid dle'], '" lead","trail ",mid dle'],
    [['ünïcödé 🎉', '{}'], 'ünïcödé 🎉,{}'],
  ])('%j → %j', (cells, line) => {
    expect(encodeRecord(cells)).toBe(line);
    expect(splitRecord(line)).toEqual(cells);
  });

  it('quotes only when it must', () => {
    expect(encodeField('plain text')).toBe('plain text');
    expect(encodeField('')).toBe('');
  });
});

describe('splitRecord', () => {
  it.each([
    ['a', ['a']], ['', ['']], [',', ['', '']], ['"",x', ['', 'x']], ['"a""b",c,"d,e"', ['a"b', 'c', 'd,e']],
  ])('%j → %j', (line, cells) => expect(splitRecord(line)).toEqual(cells));

  it('inverts encodeRecord for any cells (quotes, commas, newlines, unicode, empty)', () => {
    const cell = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('"', ',', '\n', '\r', ' ', 'a', 'é', '😀') }), fc.constant(''));
    fc.assert(fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), (cells) => {
      expect(splitRecord(encodeRecord(cells))).toEqual(cells);
    }), { numRuns: 500 });
  });
});
