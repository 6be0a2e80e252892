import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyChange, recordsOf } from './_test-apply-change.js';
import { diffTables } from './diff-tables.js';
import { tableOf } from './_test-tables.js';

const word = fc.constantFrom('a', 'b', 'c', 'okta', 'aws', 'x y');
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: -5, max: 5 }), fc.boolean(), word, fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(word, tie('value'), { maxKeys: 3 }),
    // Arrays of objects with an identity (matched by key) and with a secret to fingerprint.
    fc.uniqueArray(fc.record({ key: word, value: word }), { selector: (e) => e.key, maxLength: 3 }),
    fc.uniqueArray(fc.record({ key: word, type: fc.constant('secret'), value: word }), { selector: (e) => e.key, maxLength: 2 })),
})).value;

const record = fc.record({
  ID: fc.integer({ min: 1, max: 12 }).map(String),
  Name: word,
  Status: fc.constantFrom('active', 'inactive'),
  'Last Run': fc.constantFrom('', '2021-07-26T18:00:00Z', '2021-07-27T18:00:00+02:00'),
  // A top-level JSON `null` decodes like an empty cell (both null), so it cannot round-trip.
  Metadata: fc.oneof(fc.constant(''), json.filter((v) => v !== null).map((v) => JSON.stringify(v))),
  'Reviewer Precedence': fc.array(fc.constantFrom('manager', 'primaryowner', 'riskmanager'), { maxLength: 4 }).map((items) => items.join(', ')),
  'Extraction Options': fc.dictionary(word, json, { maxKeys: 3 }).map((v) => JSON.stringify(v)),
});
const table = fc.uniqueArray(record, { selector: (r) => r.ID, maxLength: 8 });

describe('diffTables invariants (random tables)', () => {
  it('finds nothing between a table and itself', async () => {
    await fc.assert(fc.asyncProperty(table, async (rows) => {
      const a = await tableOf('integrations', rows);
      const change = diffTables(a, a);
      expect(change.added.length + change.removed.length + change.changed.length + change.events.length).toBe(0);
      expect(change.counts.unchanged).toBe(rows.length);
    }), { numRuns: 150 });
  });

  it('rebuilds the after table from the before table and the change', async () => {
    await fc.assert(fc.asyncProperty(table, table, async (before, after) => {
      const a = await tableOf('integrations', before);
      const b = await tableOf('integrations', after);
      expect(applyChange(a, diffTables(a, b))).toEqual(recordsOf(b));
    }), { numRuns: 300 });
  });
});
