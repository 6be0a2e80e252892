import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
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
  await utimes(join(dir, 'old.csv'), new Date('2026-11-20T02:00:00Z'), new Date('2026-11-20T02:00:00Z'));
  await utimes(join(dir, 'new.csv'), new Date('2026-11-21T02:00:00Z'), new Date('2026-11-21T02:00:00Z'));
}

describe('balkan-audit compare', () => {
  it('prints a Markdown summary by default: counts and events by severity', async () => {
    await files();
    const io = captureIo({ env, cwd: dir });
    expect(await run(['compare', 'integrations', 'old.csv', 'new.csv'], io)).toBe(0);
    expect(io.out().replace(/generated \S+/, 'generated <now>')).toMatchInlineSnapshot(`
      "## integrations: old.csv → new.csv

      old.csv (2026-11-20) → new.csv (2026-11-21) · generated <now>

      > [!WARNING]
      > **2 high-severity events**
      > - Integration Okta: status active → inactive
      > - Integration Jira added

      | resource | status | added | removed | changed | high | medium | low | schema drift |
      |:--|:--|--:|--:|--:|--:|--:|--:|:--|
      | integrations | compared | 1 | 0 | 2 | 2 | 1 | 0 | — |

      ### integrations

      **High** (2)

      - Integration Okta: status active → inactive \`integration.status_changed\`
      - Integration Jira added \`integration.added\`

      **Medium** (1)

      - Integration AWS: credential client\\_secret rotated \`integration.secret_rotated\`

      **Added (1)**

      | ID | record |
      |:--|:--|
      | 10 | ID: 10; Name: Jira; Status: active |

      **Changed (2)**

      | ID | field | change |
      |:--|:--|:--|
      | 1 | Last Run | 2021-07-26T18:00:00Z → 2021-07-27T18:00:00Z (volatile) |
      |  | Metadata\\[key=client\\_secret\\].value | \\[redacted\\] → \\[redacted\\] (secret changed) |
      | 4 | Status | active → inactive |
      "
    `);
  });

  it('prints Markdown for reading in a terminal when stdout is one, and for GitHub when piped or written', async () => {
    await writeFile(join(dir, 'old.csv'), `${HEADER}\n4,Okta,active,{},\n`);
    await writeFile(join(dir, 'new.csv'), `${HEADER}\n4,Okta <ann@example.com>,active,{},\n`);
    const printed = async (terminal: boolean) => {
      const io = captureIo({ env, cwd: dir, terminal });
      expect(await run(['compare', 'integrations', 'old.csv', 'new.csv'], io)).toBe(0);
      return io.out();
    };
    expect(await printed(true)).toContain('| 4 | Name | Okta → Okta <ann@example.com> |');
    expect(await printed(false)).toContain('| 4 | Name | Okta → Okta &lt;ann@&#8203;example.com&gt; |');
    await run(['compare', 'integrations', 'old.csv', 'new.csv', '--out', 'reports'], captureIo({ env, cwd: dir, terminal: true }));
    expect(await readFile(join(dir, 'reports', 'report.md'), 'utf8')).toContain('Okta &lt;ann@&#8203;example.com&gt;');
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

  it('prints one self-contained HTML page whose title names the two inputs', async () => {
    await files();
    const io = captureIo({ env, cwd: dir });
    expect(await run(['compare', 'integrations', 'old.csv', 'new.csv', '--format', 'html'], io)).toBe(0);
    const html = io.out();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('<title>integrations: old.csv → new.csv</title>');
    expect(html).toMatch(/From <code>old\.csv<\/code> \(<time datetime="2026-11-20T02:00:00.000Z">2026-11-20<\/time>\)/);
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toContain('hunter');
  });

  it('writes the three reports with --out, and dates them by the files in the order given', async () => {
    await files();
    const io = captureIo({ env, cwd: dir });
    expect(await run(['compare', 'integrations', 'old.csv', 'new.csv', '--out', 'out'], io)).toBe(0);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['report.html', 'report.json', 'report.md']);
    expect(io.out()).toContain(`report: ${join(dir, 'out', 'report.html')}`);
    const changeSet = JSON.parse(await readFile(join(dir, 'out', 'report.json'), 'utf8')) as { from: { date: string }; to: { date: string } };
    expect([changeSet.from.date, changeSet.to.date]).toEqual(['2026-11-20T02:00:00.000Z', '2026-11-21T02:00:00.000Z']);
    expect(await readFile(join(dir, 'out', 'report.md'), 'utf8')).toMatch(/^## integrations: old\.csv → new\.csv\n\nold\.csv \(2026-11-20\) → new\.csv \(2026-11-21\)/);
    expect(io.err()).toBe('');
  });

  it('says so when the earlier file was modified after the later one', async () => {
    await files();
    await utimes(join(dir, 'old.csv'), new Date('2026-11-22T02:00:00Z'), new Date('2026-11-22T02:00:00Z'));
    await utimes(join(dir, 'new.csv'), new Date('2026-11-21T02:00:00Z'), new Date('2026-11-21T02:00:00Z'));
    const io = captureIo({ env, cwd: dir });
    expect(await run(['compare', 'integrations', 'old.csv', 'new.csv', '--format', 'json'], io)).toBe(0);
    expect(io.err()).toContain('note: old.csv was modified after new.csv');
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
    ['an unknown format', ['compare', 'integrations', 'old.csv', 'new.csv', '--format', 'pdf'], 'CLI_INVALID_OPTION'],
    ['two formats to stdout', ['compare', 'integrations', 'old.csv', 'new.csv', '--format', 'md,json'], 'CLI_INVALID_OPTION'],
  ])('exits 1 on %s', async (_name, argv, code) => {
    await files();
    await writeFile(join(dir, 'bad.csv'), `${HEADER}\n1,"AWS,active,{},\n`);
    const io = captureIo({ env, cwd: dir });
    expect(await run(argv, io)).toBe(1);
    expect(io.err()).toContain(`error [${code}]`);
  });
});
