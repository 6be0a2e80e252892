import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringifySorted } from './_json.js';

/** The definition: keys sorted at every depth, compact, undefined properties skipped. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record).sort().filter((k) => record[k] !== undefined).map((k) => `${JSON.stringify(k)}:${reference(record[k])}`).join(',')}}`;
}

describe('stringifySorted', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ a: 1, b: { d: 1, c: 2 } }, '{"a":1,"b":{"c":2,"d":1}}'],
    [{ 10: 'x', 9: 'y', a: null }, '{"10":"x","9":"y","a":null}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [[{ z: 1, y: [2, { b: 1, a: 0 }] }], '[{"y":[2,{"a":0,"b":1}],"z":1}]'],
  ])('%j → %s', (value, text) => expect(stringifySorted(value)).toBe(text));

  it('equals the definition for any JSON value (values already in order take JSON.stringify)', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      expect(stringifySorted(value)).toBe(reference(value));
    }), { numRuns: 500 });
  });
});
