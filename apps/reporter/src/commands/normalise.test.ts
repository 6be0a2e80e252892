import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../cli.js';
import { captureIo } from '../_test-io.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'normalise-cmd-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const env = { BALKAN_AUDIT_REDACTION_KEY: 'cli-test-key' };

describe('balkan-audit normalise', () => {
  it('prints the canonical CSV and reports warnings and drift on stderr', async () => {
    await writeFile(join(dir, 'integrations.csv'), 'ID*,Name*,Status*,Reviewer Count,Extra\r\n2,B,active,x,e\r\n1,A,active,1,f\r\n');
    const io = captureIo({ env, cwd: dir });
    expect(await run(['normalise', 'integrations', 'integrations.csv'], io)).toBe(0);
    expect(io.out()).toBe('ID,Name,Status,Reviewer Count,Extra\n1,A,active,1,f\n2,B,active,x,e\n');
    expect(io.err()).toContain('warning [SCHEMA_TYPE_MISMATCH] integrations.csv line 2, column "Reviewer Count": ');
    expect(io.err()).toContain('drift: integrations.csv has undocumented columns "Extra"');
  });

  it('writes --out atomically and takes --key for an undocumented resource', async () => {
    await writeFile(join(dir, 'admins.csv'), 'Email,Name\nb@x.io,B\na@x.io,A\n');
    const io = captureIo({ env, cwd: dir });
    expect(await run(['normalise', 'admins', 'admins.csv', '--out', 'out.csv', '--key', 'Email'], io)).toBe(0);
    expect(io.out()).toBe('');
    expect(await readFile(join(dir, 'out.csv'), 'utf8')).toBe('Email,Name\na@x.io,A\nb@x.io,B\n');
  });

  it('exits 1 with the coded message on a fatal error', async () => {
    await writeFile(join(dir, 'labels.csv'), 'ID,Name,Type\n1,a,t\n1,b,t\n');
    const io = captureIo({ env, cwd: dir });
    expect(await run(['normalise', 'labels', 'labels.csv', '--out', 'out.csv'], io)).toBe(1);
    expect(io.err()).toContain('error [SCHEMA_DUPLICATE_KEY]');
    await expect(readFile(join(dir, 'out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
