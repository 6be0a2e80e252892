import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../cli.js';
import { captureIo } from '../_test-io.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'compare-cmd-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const env = { BALKAN_AUDIT_REDACTION_KEY: 'cli-test-key' };
const HEADER = 'ID*,Name*,Status*,Metadata,Last Run';
const NIGHT1 = `${HEADER}\n1,AWS,active,"[{""key"":""client_secret"",""type"":""secret"",""value"":""hunter2""}]",2021-07-26T18:00:00Z\n4,Okta,active,{},\n`;
const NIGHT2 = `${HEADER}\n1,AWS,active,"[{""key"":""client_secret"",""type"":""secret"",""value"":""hunter3""}]",2021-07-27T18:00:00Z\n4,Okta,inactive,{},\n10,Jira,active,,\n`;

async function files(): Promise<void> {
  await writeFile(join(dir, 'old.csv'), NIGHT1);
  await writeFile(join(dir, 'new.csv'), NIGHT2);
}

describe('balkan-audit compare', () => {
  it('prints a Markdown summary by default: counts and events by severity', async () => {
    await files();
    const io = captureIo({ env, cwd: dir });
    expect(await run(['compare', 'integrations', 'old.csv', 'new.csv'], io)).toBe(0);
    expect(io.out()).toMatchInlineSnapshot(`
      "# integrations: old.csv → new.csv

      | before | after | added | removed | changed | unchanged |
      |---:|---:|---:|---:|---:|---:|
      | 2 | 3 | 1 | 0 | 2 | 0 |

      ## High (2)

      - Integration Okta: status active → inactive \`integration.status_changed\`
      - Integration Jira added \`integration.added\`

      ## Medium (1)

      - Integration AWS: credential client_secret rotated \`integration.secret_rotated\`

      ## Changed fields

      - \`1\`: Last Run changed (volatile); Metadata [key=client_secret].value changed
      - \`4\`: Status changed
      "
    `);
  });

  it('prints the change set as JSON and exits 2 with --detailed-exitcode when something changed', async () => {
    await files();
    const io = captureIo({ env, cwd: dir });
    expect(await run(['compare', 'integrations', 'old.csv', 'new.csv', '--format', 'json', '--detailed-exitcode'], io)).toBe(2);
    const changeSet = JSON.parse(io.out()) as { schemaVersion: number; summary: unknown; resources: Array<{ counts: unknown }> };
    expect(changeSet.schemaVersion).toBe(1);
    expect(changeSet.summary).toEqual({ added: 1, removed: 0, changed: 2, events: { high: 2, medium: 1, low: 0 } });
    expect(io.out()).not.toContain('hunter');
  });

  it('exits 0 with --detailed-exitcode when nothing changed, and takes --key for a generic resource', async () => {
    await writeFile(join(dir, 'a.csv'), 'Email,Role\nb@x.io,admin\na@x.io,viewer\n');
    await writeFile(join(dir, 'b.csv'), 'Email,Role\na@x.io,viewer\nb@x.io,admin\n');
    const io = captureIo({ env, cwd: dir });
    expect(await run(['compare', 'admins', 'a.csv', 'b.csv', '--key', 'Email', '--detailed-exitcode', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ resources: [{ resource: 'admins', counts: { before: 2, after: 2, unchanged: 2 } }] });
  });

  it.each([
    ['a missing file', ['compare', 'integrations', 'old.csv', 'nope.csv'], 'CLI_FILE_NOT_READABLE'],
    ['a malformed file', ['compare', 'integrations', 'old.csv', 'bad.csv'], 'SCHEMA_CSV_INVALID'],
    ['a bad --max-records', ['compare', 'integrations', 'old.csv', 'new.csv', '--max-records', '-2'], 'CLI_INVALID_OPTION'],
  ])('exits 1 on %s', async (_name, argv, code) => {
    await files();
    await writeFile(join(dir, 'bad.csv'), `${HEADER}\n1,"AWS,active,{},\n`);
    const io = captureIo({ env, cwd: dir });
    expect(await run(argv, io)).toBe(1);
    expect(io.err()).toContain(`error [${code}]`);
  });
});
