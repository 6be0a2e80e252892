import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAULT_ROWS, runFaultRow, startFaultNight } from '../helpers/fault-rows.js';
import type { Night } from '../helpers/night.js';

// The fault table (issue 10), faults of the machine: a full disk, and SIGINT / SIGTERM / SIGKILL
// during export, write and commit. Same checks as faults.test.ts.
let night: Night;
beforeEach(async () => { night = await startFaultNight(); });
afterEach(async () => {
  expect(night.sandbox.counters.storageRequestsWithApiKey).toBe(0);
  await night.close();
});

describe('the fault table: the disk and signals', () => {
  it.each(FAULT_ROWS.filter((row) => row.big).map((row) => [row.fault, row] as const))('%s', async (_name, row) => {
    await runFaultRow(night, row);
  });
});
