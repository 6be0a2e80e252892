import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CanonicalRows, encodeField, encodeRecord, splitRecord } from './canonical-text.js';

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

describe('CanonicalRows', () => {
  it('takes a line exactly when it has the header\'s width, for any line', () => {
    const line = fc.string({ unit: fc.constantFrom('"', ',', 'a', '\n'), maxLength: 30 }).map((text) => `k${text}`);
    fc.assert(fc.property(line, fc.integer({ min: 1, max: 4 }), (text, width) => {
      expect(new CanonicalRows([0], width).add(text)).toBe(splitRecord(text).length === width);
    }), { numRuns: 2000 });
  });

  it.each([
    ['keys in order', [0], ['1,a', '2,b', '10,c'], ['1', '2', '10']],
    ['a key repeated', [0], ['1,a', '1,b'], ['1']],
    ['keys out of order', [0], ['2,a', '1,b'], ['2']],
    ['an empty key', [0], [',a'], []],
    ['a line ending in CR', [0], ['1,a\r'], []],
    ['quoted keys', [0], ['"1",a', '"2, or 3",b'], ['1', '2, or 3']],
    ['a composite key, then one out of order', [1, 0], ['1,x', '2,x', '0,x'], ['x\u001f1', 'x\u001f2']],
  ])('%s', (_, keyIndexes, lines, keys) => {
    const rows = new CanonicalRows(keyIndexes, 2);
    for (const line of lines) if (!rows.add(line)) break;
    expect(rows.rows.map((row) => row.key)).toEqual(keys);
  });
});
