import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from './load.js';

const FILE = '/repo/balkan-audit.config.json';

/** The problem lines of a refused configuration (`data.details`), or the message of a syntax error. */
function problems(text: string): string[] {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    const e = error as { code: string; message: string; data: { details?: string[] } };
    expect(e.code).toBe('CONFIG_INVALID');
    return e.data.details ?? [e.message];
  }
  throw new Error('the configuration was accepted');
}

describe('parseConfig', () => {
  it('accepts the example of DESIGN.md', () => {
    const example = {
      $schema: './node_modules/balkan-audit/config.schema.json', tenant: 'acme', baseUrl: 'https://app.balkan.id', dir: 'snapshots', formats: ['md', 'html', 'json'],
      resources: { campaigns: { includeCompleted: true, includeDraft: false }, integrations: { volatile: ['Last Run', 'Message'], ignore: ['Primary Owner'] }, entitlements: { key: ['ID'] } },
      severity: { 'integration.status_changed': 'high', 'label.style_changed': 'off' },
    };
    expect(parseConfig(JSON.stringify(example, null, 2), FILE)).toEqual(example);
  });

  it.each<[string, string, string[]]>([
    ['an unknown key at the top level', '{\n  "tenant": "acme",\n  "severty": {}\n}', ['severty: unknown key (did you mean "severity"?) (line 3)']],
    ['an unknown key in a resource', '{"resources": {\n  "integrations": {"ignor": ["Primary Owner"]}}}', ['resources.integrations.ignor: unknown key (did you mean "ignore"?) (line 2)']],
    ['campaign filters on another resource', '{"resources": {"labels": {"includeDraft": false}}}', ['resources.labels.includeDraft: unknown key (line 1)']],
    ['a bad severity', '{"severity": {"integration.status_changed": "critical"}}',
      ['severity["integration.status_changed"]: must be one of low, medium, high, off (received "critical") (line 1)']],
    ['an unknown event kind', '{"severity": {"integration.status_chnaged": "low"}}',
      ['severity["integration.status_chnaged"]: unknown key (did you mean "integration.status_changed"?) (line 1)']],
    ['off for tamper evidence', '{"severity": {"snapshot.tampered": "off"}}', ['severity["snapshot.tampered"]: must be one of low, medium, high (received "off") (line 1)']],
    ['a wrong type', '{"formats": "md", "dir": 7}', ['dir: must be a string, received a number (line 1)', 'formats: must be an array, received a string (line 1)']],
    ['a bad format', '{"formats": ["md", "pdf"]}', ['formats[1]: must be one of md, html, json (received "pdf") (line 1)']],
    ['a bad resource name', '{"resources": {"Admins/../x": {}}}',
      ['resources["Admins/../x"]: must be an export path segment of a-z, 0-9 and "-" (e.g. integrations, admins) (as a key) (line 1)']],
    ['no resources', '{"resources": {}}', ['resources: must name at least 1 resource(s) (line 1)']],
    ['an empty key', '{"resources": {"admins": {"key": []}}}', ['resources.admins.key: must list at least 1 value(s) (line 1)']],
    ['a base URL with a password', '{"baseUrl": "https://user:pw@app.balkan.id"}',
      ['baseUrl: must be an http(s) origin such as https://app.balkan.id, without a user, password, query or fragment (line 1)']],
    ['not an object', '[]', ['(top level): must be an object, received an array (line 1)']],
    ['every problem at once, in file order', '{\n"severty": 1,\n"resources": {"integrations": {"ignor": []}},\n"severity": {"label.renamed": "critical"}\n}', [
      'severty: unknown key (did you mean "severity"?) (line 2)',
      'resources.integrations.ignor: unknown key (did you mean "ignore"?) (line 3)',
      'severity["label.renamed"]: must be one of low, medium, high, off (received "critical") (line 4)',
    ]],
  ])('refuses %s, naming its JSON path', (_name, text, expected) => {
    expect(problems(text)).toEqual(expected);
  });

  it.each<[string, string]>([
    ['apiKeySecret', '{"apiKeySecret": "sk-live-9f8e7d6c5b4a"}'],
    ['apiKeyId', '{"tenant": "acme", "apiKeyId": "sk-live-9f8e7d6c5b4a"}'],
    ['a nested token', '{"resources": {"admins": {"token": "sk-live-9f8e7d6c5b4a"}}}'],
    ['a password', '{"password": ["sk-live-9f8e7d6c5b4a"]}'],
  ])('refuses a secret (%s) without printing its value', (_name, text) => {
    let error: { code: string; message: string; hint: string; data: unknown } | undefined;
    try { parseConfig(text, FILE); } catch (e) { error = e as typeof error; }
    expect(error?.code).toBe('CONFIG_INVALID');
    const shown = JSON.stringify(error?.data) + error!.message + error!.hint;
    expect(shown).toContain('API keys come from the environment (BALKANID_API_KEY_ID, BALKANID_API_KEY_SECRET)');
    expect(shown).not.toContain('sk-live');
  });

  it.each<[string, string, string]>([
    ['a missing comma', '{\n  "tenant": "acme"\n  "dir": "x"\n}', 'line 3, column 3: expected ","'],
    ['a trailing comma', '{"tenant": "acme",\n}', 'line 2, column 1: expected a key in double quotes'],
    ['a comment', '{\n  // the tenant\n  "tenant": "acme"}', 'line 2, column 3: comments are not allowed'],
    ['an unterminated string', '{"tenant": "acme}', 'line 1, column 12: unterminated string'],
    ['an empty file', '', 'line 1, column 1: expected a value'],
  ])('names the line and column of %s', (_name, text, where) => {
    expect(problems(text)).toEqual([`${FILE} is not valid JSON: ${where}`]);
  });

  it('never quotes the text around a syntax error (it may be a secret)', () => {
    const [message] = problems('{"apiKeySecret": "sk-live-9f8e7d6c5b4a" "x": 1}');
    expect(message).toMatch(/line 1, column \d+/);
    expect(message).not.toContain('sk-live');
  });
});

describe('loadConfig', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'config-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads balkan-audit.config.json at the repository\'s top level, or nothing when there is none', async () => {
    expect(await loadConfig({ repo: '.', cwd: dir })).toEqual({ file: null, config: {} });
    await writeFile(join(dir, 'balkan-audit.config.json'), '{"tenant": "acme"}');
    expect(await loadConfig({ repo: '.', cwd: dir })).toEqual({ file: join(dir, 'balkan-audit.config.json'), config: { tenant: 'acme' } });
  });

  it('prefers --config FILE, relative to the working directory', async () => {
    await writeFile(join(dir, 'balkan-audit.config.json'), '{"tenant": "acme"}');
    await writeFile(join(dir, 'other.json'), '{"tenant": "globex"}');
    expect(await loadConfig({ repo: '.', cwd: dir, config: 'other.json' })).toEqual({ file: join(dir, 'other.json'), config: { tenant: 'globex' } });
  });

  it('refuses a --config FILE that does not exist with its own code', async () => {
    await expect(loadConfig({ repo: '.', cwd: dir, config: 'missing.json' })).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND', data: { file: join(dir, 'missing.json') } });
  });
});

describe('config.schema.json', () => {
  it('is the schema the CLI validates with, as the build writes it', async () => {
    const { readFile } = await import('node:fs/promises');
    const { configSchema } = await import('./schema.js');
    const committed = await readFile(new URL('../../config.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(`${JSON.stringify(configSchema(), null, 2)}\n`);
  });
});
