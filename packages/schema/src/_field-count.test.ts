import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitRecord } from './csv.js';
import { fieldCount } from './_field-count.js';

describe('fieldCount', () => {
  it.each([['', 1], ['a', 1], ['a,b', 2], ['"a,b",c', 2], ['"a""b,",c,', 3], ['"open,', 1], ['"x"y,z', 2], ['a"b,c', 2]])('%j → %d', (line, n) => {
    expect(fieldCount(line)).toBe(n);
  });

  it('counts what splitRecord returns, for any line', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('"', ',', 'a', '\n'), maxLength: 30 }), (line) => {
      expect(fieldCount(line)).toBe(splitRecord(line).length);
    }), { numRuns: 2000 });
  });
});
