import { describe, expect, it } from 'vitest';
import { NIGHT2_CHANGES, SANDBOX_RESOURCES, SANDBOX_SECRETS, sandboxCsv } from '@balkan-audit/sandbox';
import { createRedactor, getSchema, normaliseCsv, serialiseCanonical, type CanonicalTable } from '@balkan-audit/schema';

const redactor = createRedactor('e2e-normalise');
const normalise = (resource: string, night: 1 | 2): Promise<CanonicalTable> =>
  normaliseCsv(sandboxCsv(resource, night), getSchema(resource), { file: `${resource}.csv`, redactor });

describe('normalising the sandbox exports', () => {
  it.each(SANDBOX_RESOURCES.flatMap((resource) => [[resource, 1], [resource, 2]] as const))('%s night %i normalises without a fatal error and leaks no secret', async (resource, night) => {
    const table = await normalise(resource, night);
    expect(table.rows.length).toBeGreaterThan(0);
    const text = serialiseCanonical(table).toString('utf8');
    for (const secret of SANDBOX_SECRETS) expect(text).not.toContain(secret);
    for (const warning of table.warnings) for (const secret of SANDBOX_SECRETS) expect(warning.message).not.toContain(secret);
  });

  it('a JSON key-order-only change yields identical canonical bytes for that record', async () => {
    const noops = NIGHT2_CHANGES.filter((change) => change.kind === 'noop.json_key_order');
    expect(noops.length).toBeGreaterThan(0);
    for (const change of noops) {
      const [before, after] = await Promise.all([normalise(change.resource, 1), normalise(change.resource, 2)]);
      const line = (table: CanonicalTable): string | undefined => table.rows.find((row) => row.key === change.id)?.line;
      expect(line(before)).toBeDefined();
      expect(line(after)).toBe(line(before));
      // …while the raw export text of that record did change.
      expect(sandboxCsv(change.resource, 2)).not.toBe(sandboxCsv(change.resource, 1));
    }
  });

  it('normalising a canonical snapshot again is a no-op', async () => {
    for (const resource of SANDBOX_RESOURCES) {
      const bytes = serialiseCanonical(await normalise(resource, 2));
      const again = await normaliseCsv(bytes, getSchema(resource), { file: `${resource}.csv`, redactor });
      expect(serialiseCanonical(again).equals(bytes)).toBe(true);
    }
  });
});
