import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildChangeSet } from '@balkan-audit/diff';
import { appendStepSummary, renderReports } from './reports.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'reports-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const changeSet = buildChangeSet({ resources: [], tenant: 'acme', from: null, to: { commit: null, date: '2026-11-29T02:00:00.000Z' } });

describe('appendStepSummary', () => {
  it('appends the Markdown report, rendering it when the run wrote JSON only', async () => {
    const summary = join(dir, 'summary.md');
    expect(await appendStepSummary({ GITHUB_STEP_SUMMARY: summary }, changeSet, renderReports(changeSet, ['json']))).toBe(true);
    expect(await readFile(summary, 'utf8')).toBe(`${renderReports(changeSet, ['md']).get('md')!}\n`);
  });

  it('writes nothing, and renders nothing, without GITHUB_STEP_SUMMARY', async () => {
    const poisoned = { ...changeSet, get resources(): never { throw new Error('rendered') } };
    expect(await appendStepSummary({}, poisoned, new Map())).toBe(false);
    expect(await appendStepSummary({ GITHUB_STEP_SUMMARY: '' }, poisoned, new Map())).toBe(false);
  });
});
