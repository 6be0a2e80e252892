import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAULT_ROWS, runFaultRow, startFaultNight } from '../helpers/fault-rows.js';
import { renderFaultTable } from '../helpers/fault-table.js';
import type { Night } from '../helpers/night.js';

// The fault table (issue 10), faults of the API and its data; the disk and signal rows are in
// faults-process.test.ts. Each row: exit code, the resource's status in the change set, HEAD's
// file, no lock or temp file left, `git fsck --strict` clean, and the next clean night correct.
let night: Night;
beforeEach(async () => { night = await startFaultNight(); });
afterEach(async () => {
  expect(night.sandbox.counters.storageRequestsWithApiKey).toBe(0);
  await night.close();
});

describe('the fault table: the API and its data', () => {
  it.each(FAULT_ROWS.filter((row) => !row.big).map((row) => [row.fault, row] as const))('%s', async (_name, row) => {
    await runFaultRow(night, row);
  });

  it('docs/reliability.md is rendered from the rows', async () => {
    const doc = renderFaultTable(FAULT_ROWS);
    const file = new URL('../../docs/reliability.md', import.meta.url);
    if (process.env['BALKAN_AUDIT_WRITE_DOCS'] === '1') await writeFile(file, doc);
    expect(await readFile(file, 'utf8')).toBe(doc);
  });
});
