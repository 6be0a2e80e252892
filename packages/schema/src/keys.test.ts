import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareKeys, formatKey, KEY_SEPARATOR } from './keys.js';
import { getSchema } from './schemas.js';
import { normaliseCsv } from './normalise.js';
import { redactor } from './_test-support.js';

const k = (...parts: string[]): string => parts.join(KEY_SEPARATOR);

describe('compareKeys', () => {
  it.each([
    ['2', '10', -1], ['10', '2', 1], ['9', 'a', -1], ['a', '9', 1], ['a', 'b', -1], ['B', 'a', -1],
    ['007', '7', -1], ['7', '007', 1], ['x', 'x', 0], ['', 'a', -1],
    ['99999999999999999999', '100000000000000000000', -1],
    ['01HA02R3KH676CD9XHZAY8SCDZ', '01HA02TFB8JBSF2BWBJBWVP696', -1],
    [k('01XB', 'asana'), k('01XB', 'aws'), -1], [k('2', 'b'), k('10', 'a'), -1], [k('a'), k('a', 'b'), -1],
    [k('a', '10'), k('a', '9'), 1],
  ])('%j vs %j → %i', (a, b, sign) => expect(Math.sign(compareKeys(a, b))).toBe(sign));

  it('is a total order: antisymmetric, transitive, zero only for equal strings', () => {
    const key = fc.oneof(fc.string(), fc.stringMatching(/^\d{1,4}$/), fc.array(fc.oneof(fc.string(), fc.stringMatching(/^\d{1,3}$/)), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(KEY_SEPARATOR)));
    fc.assert(fc.property(key, key, key, (a, b, c) => {
      expect(Math.sign(compareKeys(a, b)) + Math.sign(compareKeys(b, a))).toBe(0);
      expect(compareKeys(a, b) === 0).toBe(a === b);
      const sorted = [a, b, c].sort(compareKeys);
      expect(compareKeys(sorted[0]!, sorted[2]!)).toBeLessThanOrEqual(0);
    }));
  });
});

describe('formatKey', () => {
  it.each([['42', '42'], [k('01XB', 'asana'), '01XB/asana'], ['entitlement/privileged', 'entitlement/privileged']])('%j → %j', (key, shown) => expect(formatKey(key)).toBe(shown));
});

describe('row order of numeric keys (the sort\'s numeric fast path) equals compareKeys order', () => {
  it.each([
    ['small ids', ['10', '9', '1', '100', '0', '55']],
    ['ids beyond 2^32', ['4294967297', '4294967296', '12', '999999999999999']],
    ['with a leading zero (string path)', ['010', '10', '9']],
    ['with 16 digits (string path)', ['1234567890123456', '2', '1234567890123455']],
    ['mixed with text (string path)', ['b', '2', 'a', '10']],
  ])('%s', async (_, ids) => {
    const table = await normaliseCsv(`ID,Name\n${ids.map((id) => `${id},n`).join('\n')}\n`, getSchema('admins'), { file: 'a.csv', redactor });
    expect(table.rows.map((row) => row.key)).toEqual([...ids].sort(compareKeys));
  });
});
