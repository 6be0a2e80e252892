import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { compareExports, diffTables } from '@balkan-audit/diff';
import { generateSyntheticExport, SANDBOX_RESOURCES, SYNTHETIC_SECRET_PREFIX, sandboxCsv } from '@balkan-audit/sandbox';
import { createRedactor, getSchema, normaliseCsv, normaliseDifference, serialiseCanonical, type ResourceSchema } from '@balkan-audit/schema';
import { runCli } from '../helpers/cli.js';

const redactor = createRedactor('e2e-compare-key');

/** The reference result: both files normalised in full by the schema layer, then diffTables. */
async function fullPath(before: Buffer, after: Buffer, schema: ResourceSchema) {
  const [b, a] = await Promise.all([before, after].map((bytes, i) => normaliseCsv(bytes, schema, { file: i === 0 ? 'before.csv' : 'after.csv', redactor })));
  return diffTables(b!, a!);
}

async function synthetic(rows: number, variant: 'before' | 'after'): Promise<Buffer> {
  return buffer(generateSyntheticExport({ rows, seed: 11, variant, shuffle: true }) as Readable);
}

describe('compareExports (the fast path of `balkan-audit compare`)', () => {
  it.each(SANDBOX_RESOURCES)('gives the same change as the full path for the sandbox %s', async (resource) => {
    const schema = getSchema(resource);
    const [before, after] = [Buffer.from(sandboxCsv(resource, 1)), Buffer.from(sandboxCsv(resource, 2))];
    expect(await compareExports(before, after, schema, { redactor })).toEqual(await fullPath(before, after, schema));
  });

  it('gives the same change as the full path on shuffled synthetic exports', async () => {
    const schema = getSchema('integrations');
    const [before, after] = await Promise.all([synthetic(3000, 'before'), synthetic(3000, 'after')]);
    const fast = await compareExports(before, after, schema, { redactor });
    expect(fast).toEqual(await fullPath(before, after, schema));
    expect(fast.counts).toEqual({ before: 3000, after: 3000, added: 15, removed: 15, changed: 30, unchanged: 2955 });
    expect(JSON.stringify(fast)).not.toContain(SYNTHETIC_SECRET_PREFIX);
    // …and it took the fast route: only the records that differ in bytes reach the normaliser.
    const difference = await normaliseDifference(before, after, schema, { redactor });
    expect(difference && { identical: difference.identical, before: difference.before.rows.length, after: difference.after.rows.length }).toEqual({ identical: 2955, before: 45, after: 45 });
  });

  it('compares a canonical snapshot with a raw export (different headers) like the full path', async () => {
    const schema = getSchema('integrations');
    const [raw1, raw2] = await Promise.all([synthetic(500, 'before'), synthetic(500, 'after')]);
    const canonical = serialiseCanonical(await normaliseCsv(raw1, schema, { file: 'a.csv', redactor }));
    expect(await compareExports(canonical, raw2, schema, { redactor })).toEqual(await fullPath(canonical, raw2, schema));
  });

  it('treats CRLF and LF files alike and finds no change between them', async () => {
    const schema = getSchema('campaigns');
    // The sandbox serves campaigns with CRLF record ends (and an LF inside a quoted cell).
    const crlf = Buffer.from(sandboxCsv('campaigns', 1));
    const lf = Buffer.from(sandboxCsv('campaigns', 1).replace(/\r\n/g, '\n'));
    expect(crlf.equals(lf)).toBe(false);
    const change = await compareExports(lf, crlf, schema, { redactor });
    expect(change.counts.unchanged).toBe(change.counts.before);
    expect(change.events).toEqual([]);
  });

  it.each([
    ['an unbalanced quote', (csv: string) => `${csv}99,"broken\n`, 'SCHEMA_CSV_INVALID'],
    ['a duplicate key', (csv: string) => `${csv}${csv.split('\n')[1]}\n`, 'SCHEMA_DUPLICATE_KEY'],
  ])('reports the schema layer\'s error for %s', async (_name, damage, code) => {
    const schema = getSchema('integrations');
    const good = sandboxCsv('integrations', 1);
    await expect(compareExports(Buffer.from(good), Buffer.from(damage(good)), schema, { redactor })).rejects.toMatchObject({ code });
  });

  it('is what the built CLI prints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-compare-'));
    try {
      const schema = getSchema('integrations');
      const [before, after] = await Promise.all([synthetic(4000, 'before'), synthetic(4000, 'after')]);
      await writeFile(join(dir, 'old.csv'), before);
      await writeFile(join(dir, 'new.csv'), after);
      const cli = await runCli(['compare', 'integrations', 'old.csv', 'new.csv', '--format', 'json', '--detailed-exitcode'], {
        cwd: dir, env: { BALKAN_AUDIT_REDACTION_KEY: 'e2e-compare-key' },
      });
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(2);
      const changeSet = JSON.parse(cli.stdout) as { resources: unknown[] };
      expect(changeSet.resources).toEqual([JSON.parse(JSON.stringify(await compareExports(before, after, schema, { redactor })))]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
