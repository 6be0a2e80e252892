import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ExportError } from '@balkan-audit/client';
import { DiffError } from '@balkan-audit/diff';
import { BalkanAuditError, isBalkanAuditError, type BalkanAuditErrorJSON } from '@balkan-audit/errors';
import { SchemaError } from '@balkan-audit/schema';
import { StoreError } from '@balkan-audit/store';
import { CliError, isSystemError } from './_errors.js';

// How the CLI tells its own errors (a user error, exit 1) from a bug: by the brand alone.
describe('isBalkanAuditError', () => {
  it.each([
    ['SchemaError', new SchemaError('SCHEMA_MISSING_KEY', 'labels.csv line 3, column "ID": the key cell is empty', { file: 'labels.csv', row: 3, column: 'ID' })],
    ['DiffError', new DiffError('DIFF_RESOURCE_MISMATCH', 'cannot compare apps with labels', { data: { before: 'apps', after: 'labels' } })],
    ['StoreError', new StoreError('STORE_LOCKED', 'another run holds the lock', { data: { path: '.git/balkan-audit/run.lock' }, hint: 'wait for it' })],
    ['ExportError', new ExportError('EXPORT_AUTH', '[POST] "…/download-url": 401 Unauthorized', { status: 401, data: { resource: 'labels' }, hint: 'check the key' })],
    ['CliError', new CliError('CLI_INVALID_OPTION', '--concurrency must be ≥ 1', { data: { option: 'concurrency' }, hint: 'see --help' })],
  ])('knows %s by its brand, and it survives JSON with its code, data and hint', (name, error) => {
    expect(isBalkanAuditError(error)).toBe(true);
    expect(error.name).toBe(name);
    const back = BalkanAuditError.fromJSON(JSON.parse(JSON.stringify(error)) as BalkanAuditErrorJSON);
    expect(isBalkanAuditError(back)).toBe(true);
    expect(back).toMatchObject({ name, code: error.code, message: error.message, data: error.data, hint: error.hint });
  });

  it('does not take a Node system error for a tool error, although its code looks like one', async () => {
    const enoent: unknown = await readFile(join(tmpdir(), 'balkan-audit-no-such-file')).catch((error: unknown) => error);
    expect(enoent).toMatchObject({ code: 'ENOENT' });
    expect(isSystemError(enoent)).toBe(true);
    expect(isBalkanAuditError(enoent)).toBe(false);
  });

  it.each([
    ['a system error without a syscall', Object.assign(new Error('not a file'), { code: 'EISDIR' })],
    ['an undici error', Object.assign(new Error('connect timeout'), { code: 'UND_ERR_CONNECT_TIMEOUT' })],
    ['an unbranded error with one of our codes', Object.assign(new Error('x'), { code: 'STORE_LOCKED' })],
    ['a plain object with a code', { code: 'STORE_LOCKED', message: 'x' }],
  ])('does not claim %s', (_name, error) => {
    expect(isBalkanAuditError(error)).toBe(false);
  });
});
