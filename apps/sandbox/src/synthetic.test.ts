import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv, readAll, startSandbox, type Running } from './_test-helpers.js';
import { sandboxCsv } from './data.js';
import { generateSyntheticExport, SYNTHETIC_SECRET_PREFIX } from './synthetic.js';
import type { SyntheticSpec } from './types.js';

async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function sha256(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function rowsById(csv: string): Map<string, string[]> {
  const [, ...rows] = parseCsv(csv);
  return new Map(rows.map((row) => [row[0] ?? '', row]));
}

describe('generateSyntheticExport', () => {
  it('is deterministic from seed and rows', async () => {
    const spec = { rows: 3000, seed: 42, variant: 'before' } as const;
    expect(await sha256(generateSyntheticExport(spec))).toBe(await sha256(generateSyntheticExport(spec)));
    expect(await sha256(generateSyntheticExport({ ...spec, seed: 43 }))).not.toBe(await sha256(generateSyntheticExport(spec)));
  });

  it('emits exactly the rows asked for, 15 typed columns each', async () => {
    const [header = [], ...rows] = parseCsv(await text(generateSyntheticExport({ rows: 2500, seed: 1, variant: 'before' })));
    expect(header).toEqual([
      'ID*', 'Name*', 'Description', 'Last Run', 'Status*', 'Primary Owner', 'Message', 'Metadata', 'Reviewer Precedence',
      'Provisioning Options', 'Extraction Options', 'Reviewer Count', 'Entity Request Values Templates', 'Entity Request Values Defaults', 'Region',
    ]);
    expect(rows).toHaveLength(2500);
    expect(rows.map((row) => row[0])).toEqual(Array.from({ length: 2500 }, (_, i) => String(i + 1)));
    for (const row of rows) {
      expect(row).toHaveLength(15);
      expect(row[3]).toMatch(/^2026-01-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(['active', 'inactive']).toContain(row[4]);
      expect(row[5]).toMatch(/^[a-z]+\.[a-z]+@balkan\.id$/);
      const metadata = JSON.parse(row[7] ?? '') as { type: string; value: string }[];
      expect(metadata.filter((entry) => entry.type === 'secret').map((entry) => entry.value.startsWith(SYNTHETIC_SECRET_PREFIX))).toEqual([true]);
      expect(row[8]).toMatch(/^(manager|primaryowner|riskmanager)(, (manager|primaryowner|riskmanager))*$/);
      for (const json of [row[9], row[10]]) expect(() => JSON.parse(json ?? '')).not.toThrow();
      expect(row[11]).toMatch(/^[1-5]$/);
    }
    expect(rows.some((row) => row[2]?.includes(',') && row[2].includes('"'))).toBe(true);
  });

  it('averages about 266 bytes a row', async () => {
    const rows = 20_000;
    const bytes = Buffer.byteLength(await text(generateSyntheticExport({ rows, seed: 5, variant: 'before' })));
    expect(bytes / rows).toBeGreaterThan(240);
    expect(bytes / rows).toBeLessThan(290);
  });

  it.each(['before', 'after'] as const)('shuffles %s into a permutation of the same rows', async (variant) => {
    const ordered = await text(generateSyntheticExport({ rows: 4000, seed: 9, variant }));
    const shuffled = await text(generateSyntheticExport({ rows: 4000, seed: 9, variant, shuffle: true }));
    expect(shuffled).not.toBe(ordered);
    expect(shuffled.split('\n')[0]).toBe(ordered.split('\n')[0]);
    expect(shuffled.split('\n').sort()).toEqual(ordered.split('\n').sort());
  });

  it('derives after: exactly 0.5% removed, 0.5% added, 1% changed, in every kind', async () => {
    const before = rowsById(await text(generateSyntheticExport({ rows: 10_000, seed: 3, variant: 'before' })));
    const after = rowsById(await text(generateSyntheticExport({ rows: 10_000, seed: 3, variant: 'after' })));
    const removed = [...before.keys()].filter((id) => !after.has(id));
    const added = [...after.keys()].filter((id) => !before.has(id));
    const kinds = new Map<string, number>();
    let changed = 0;
    for (const [id, row] of before) {
      const next = after.get(id);
      if (!next || next.join('\u0000') === row.join('\u0000')) continue;
      changed += 1;
      const fields = row.map((cell, i) => (cell === next[i] ? null : i)).filter((i) => i !== null).join(',');
      kinds.set(fields, (kinds.get(fields) ?? 0) + 1);
    }
    expect(removed).toHaveLength(50);
    expect(added).toHaveLength(50);
    expect(added.map(Number).every((id) => id > 10_000)).toBe(true);
    expect(changed).toBe(100);
    // Status; Metadata (rotated secret); Provisioning Options; Last Run + Message (volatile only).
    expect([...kinds.keys()].sort()).toEqual(['3,6', '4', '7', '9']);
  });

  it('refuses a bad spec with a coded error', () => {
    expect(() => generateSyntheticExport({ rows: -1, seed: 1, variant: 'before' })).toThrow(expect.objectContaining({ code: 'SANDBOX_INVALID_OPTION' }));
    expect(() => generateSyntheticExport({ rows: 1, seed: 1, variant: 'later' as 'after' })).toThrow(expect.objectContaining({ code: 'SANDBOX_INVALID_OPTION' }));
  });
});

describe('the synthetic resource over HTTP', () => {
  let running: Running | null = null;
  afterEach(async () => {
    await running?.sandbox.close();
    running = null;
  });

  const spec: SyntheticSpec = { resource: 'integrations', rows: 30_000, seed: 11, variant: 'after', shuffle: true };

  it('streams the generator with an exact Content-Length, replacing the scripted data', async () => {
    running = await startSandbox({ synthetic: spec });
    const answer = await running.exportOf('integrations');
    const body = Buffer.from(await answer.arrayBuffer());
    expect(Number(answer.headers.get('content-length'))).toBe(body.length);
    expect(createHash('sha256').update(body).digest('hex')).toBe(await sha256(generateSyntheticExport(spec)));
    running.sandbox.setSynthetic(null);
    expect(await (await running.exportOf('integrations')).text()).toBe(sandboxCsv('integrations', 1));
  });

  it.each([
    ['duplicateIds', { duplicateIds: true }, (rows: string[][]) => expect(new Set(rows.map((r) => r[0])).size).toBe(rows.length - 1)],
    ['empty', { empty: true }, (rows: string[][]) => expect(rows).toHaveLength(0)],
  ] as const)('applies %s to a synthetic export under another segment', async (_name, faults, check) => {
    running = await startSandbox({ synthetic: { resource: 'big-integrations', rows: 5000, seed: 2, variant: 'before' }, faults });
    const answer = await running.exportOf('big-integrations');
    const body = await answer.text();
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    const [, ...rows] = parseCsv(body);
    check(rows);
  });

  it('announces the full length and sends less when truncating a synthetic export', async () => {
    running = await startSandbox({ synthetic: { ...spec, rows: 5000 }, faults: { truncate: true, malformed: true } });
    const answer = await running.exportOf('integrations');
    const announced = Number(answer.headers.get('content-length'));
    const { bytes, error } = await readAll(answer);
    expect(error).not.toBeNull();
    expect(bytes).toBeLessThan(announced);
  });
});
