import { describe, expect, it } from 'vitest';
import { parseCsv, recordsOf } from './_test-helpers.js';
import { NIGHT2_CHANGES, SANDBOX_RESOURCES, SANDBOX_SECRETS, sandboxCsv } from './data.js';

const NIGHTS = [1, 2] as const;
const ALL = [...SANDBOX_RESOURCES, 'admins', 'employees', 'entitlements'];

function canonical(cell: string): string {
  const trimmed = cell.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return cell;
  const sort = (value: unknown): unknown => Array.isArray(value) ? value.map(sort)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sort(v)]))
      : value;
  return JSON.stringify(sort(JSON.parse(trimmed)));
}

/** An independent diff of the two nights, by ID, with JSON cells compared by meaning. */
function observedChanges(resource: string): string[] {
  const [before, after] = NIGHTS.map((night) => recordsOf(sandboxCsv(resource, night)));
  if (!before || !after) throw new Error('unreachable');
  const name = (column: string): string => column.replace(/\*$/, '');
  const idColumn = (header: string[]): string => header.find((column) => name(column) === 'ID') ?? 'ID';
  // Apps are keyed by (Tenant ID, ID), written `tenant/id` as the diff displays composite keys.
  const tenantColumn = (header: string[]): string | undefined => header.find((column) => name(column).replace(/^\uFEFF/, '') === 'Tenant ID');
  const idOf = (header: string[], row: Record<string, string>): string => {
    const tenant = tenantColumn(header);
    const id = row[idColumn(header)] ?? '';
    return tenant === undefined ? id : `${row[tenant] ?? ''}/${id}`;
  };
  const byId = (table: typeof before) => new Map(table.rows.map((row) => [idOf(table.header, row), row]));
  const [old, now] = [byId(before), byId(after)];
  const shared = before.header.filter((column) => after.header.includes(column));
  const seen: string[] = [];
  const drift = after.header.filter((column) => !before.header.includes(column)).map(name);
  if (drift.length > 0) seen.push(`null resource.schema_drift ${drift.join('|')}`);
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(id);
    const b = now.get(id);
    if (!a) seen.push(`${id} added`);
    else if (!b) seen.push(`${id} removed`);
    else {
      const fields = shared.filter((column) => canonical(a[column] ?? '') !== canonical(b[column] ?? '')).map(name);
      if (fields.length > 0) seen.push(`${id} changed ${fields.join('|')}`);
      else if (shared.some((column) => a[column] !== b[column])) seen.push(`${id} noop`);
    }
  }
  return seen.sort();
}

function scripted(resource: string): string[] {
  return NIGHT2_CHANGES.filter((change) => change.resource === resource).map((change) => {
    if (change.kind === 'resource.schema_drift') return `null resource.schema_drift ${change.fields.join('|')}`;
    if (change.kind.endsWith('.added')) return `${change.id} added`;
    if (change.kind.endsWith('.removed')) return `${change.id} removed`;
    if (change.kind.startsWith('noop.')) return `${change.id} noop`;
    return `${change.id} changed ${change.fields.join('|')}`;
  }).sort();
}

describe('scripted data', () => {
  it.each([
    ['campaigns', 'ID*,Name*,Description,Status*,Start Date*,End Date*,Percentage Completed*,Is Published*,Recurrence*,Escalation*,Escalation Date*'],
    ['apps', '\uFEFFTenant ID,Tenant Name,Tenant Status,Tenant Created At,ID,Name,Description,Logo'],
    ['entity-rules', 'ID,entity_filter,name,description,label,created_at,updated_at,created_by,updated_by'],
    ['integrations', 'ID*,Name*,Description,Last Run,Status*,Primary Owner,Message,Metadata,Reviewer Precedence,Provisioning Options,Extraction Options,Reviewer Count,Entity Request Values Templates,Entity Request Values Defaults'],
    ['labels', 'ID,Name*,Color,Icon,Background Color,Text Color,Type*,Light Background Color,Light Text Color,Dark Background Color,Dark Text Color'],
  ])('%s has the docs\' header with its * markers', (resource, header) => {
    expect(sandboxCsv(resource, 1).split(/\r?\n/)[0]).toBe(header);
  });

  it.each([
    ['campaigns', '\r\n', false], ['labels', '\r\n', false], ['apps', '\n', true], ['integrations', '\n', false], ['entity-rules', '\n', false],
  ] as const)('%s uses %j line ends (BOM: %s)', (resource, lineEnd, bom) => {
    for (const night of NIGHTS) {
      const text = sandboxCsv(resource, night);
      expect(text.startsWith('\uFEFF')).toBe(bom);
      expect(text.endsWith(lineEnd)).toBe(true);
      if (lineEnd === '\n') expect(text).not.toContain('\r');
      else expect(text.replaceAll('\r\n', '')).not.toMatch(/\r/);
    }
  });

  it.each(ALL.flatMap((resource) => NIGHTS.map((night) => [resource, night] as const)))('%s night %s parses with one cell per column and unique IDs', (resource, night) => {
    const [header = [], ...rows] = parseCsv(sandboxCsv(resource, night));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const idColumn = header.findIndex((column) => /^ID\*?$/.test(column));
    const ids = rows.map((row) => (resource === 'apps' ? `${row[0]}/${row[idColumn]}` : row[idColumn]));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the docs\' sample rows, with the Metadata sample\'s empty strings restored', () => {
    const integrations = recordsOf(sandboxCsv('integrations', 1)).rows;
    expect(integrations.slice(0, 4).map((row) => row['Name*'])).toEqual(['Amazon Web Services', 'Google', 'Slack', 'Okta']);
    expect(JSON.parse(integrations[0]?.Metadata ?? '')).toEqual([
      { name: 'Client ID', key: 'client_id', type: 'public', value: '' },
      { name: 'Client Secret', key: 'client_secret', type: 'secret', value: '' },
      { name: 'Enterprise ID', key: 'enterprise_id', type: 'public', value: '' },
    ]);
    expect(integrations[2]?.['Extraction Options']).toBe('{ "scim": false, "upload": true, "direct_configuration": false }');
    expect(sandboxCsv('campaigns', 1)).toContain('01HA02R3KH676CD9XHZAY8SCDZ,Test campaign,This is a test campaign,pending,2023-09-07,2023-09-26,35.24,FALSE,RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=+1MO,168h,2024-05-23\r\n');
    expect(sandboxCsv('apps', 1)).toContain('01XB,default,active,2022-01-12,aws,Amazon Web Services,Cloud computing platform,https://logo_link/\n');
    expect(sandboxCsv('labels', 1)).toContain('employee/sod,SoD,,,#FFFFFF,#000000,employee,#FFFFFF,#000000,#FFFFFF,#000000\r\n');
    expect(sandboxCsv('entity-rules', 1)).toContain('13323523,"{""key1"": ""value1"", ""key2"": [""value2"", ""value3""], ""key3"": {""nestedKey"": ""nestedValue""}}",Sample Insight,');
  });

  it('quotes a multi-line description with doubled quotes', () => {
    expect(sandboxCsv('campaigns', 1)).toContain('"Quarterly review of production access.\nScope: ""prod"" accounts, admins first"');
  });

  it.each(SANDBOX_RESOURCES)('night 1 → night 2 of %s changes exactly as NIGHT2_CHANGES says', (resource) => {
    expect(observedChanges(resource)).toEqual(scripted(resource));
  });

  it.each(['admins', 'employees', 'entitlements'])('undocumented %s is the same on both nights', (resource) => {
    expect(sandboxCsv(resource, 2)).toBe(sandboxCsv(resource, 1));
  });

  it('spot-checks the scripted changes in the CSV text', () => {
    const night2 = sandboxCsv('integrations', 2);
    expect(night2.split('\n')[0]?.endsWith(',Region')).toBe(true);
    expect(night2).toMatch(/\n10,Jira,/);
    expect(night2).toMatch(/\n7,Workday,HR system of record,2026-01-14T02:10:00Z,inactive,/);
    expect(sandboxCsv('integrations', 1)).toContain('sk_live_sandbox_sf_9d4c1e7a2b60');
    expect(night2).toContain('sk_live_sandbox_sf_3b8f05d6e1c4');
    expect(sandboxCsv('apps', 2)).not.toContain(',zoom,');
    expect(sandboxCsv('labels', 2)).toContain('app/critical,Business critical,');
    expect(sandboxCsv('campaigns', 2)).toContain('01HA02R3KH676CD9XHZAY8SCDZ,Test campaign,This is a test campaign,completed,');
  });

  it('lists every served secret value in SANDBOX_SECRETS, and only those', () => {
    const served = new Set<string>();
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach((item) => collect(item));
      else if (value !== null && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        for (const [key, member] of Object.entries(record)) {
          const secretish = /secret|password|token|private_key/.test(key) || (key === 'value' && record.type === 'secret');
          if (secretish && typeof member === 'string' && member !== '') served.add(member);
          collect(member);
        }
      }
    };
    for (const night of NIGHTS) {
      for (const row of recordsOf(sandboxCsv('integrations', night)).rows) {
        for (const cell of Object.values(row)) if (/^\s*[[{]/.test(cell)) collect(JSON.parse(cell));
      }
    }
    expect([...served].sort()).toEqual([...SANDBOX_SECRETS].sort());
    for (const secret of SANDBOX_SECRETS) expect(secret).toMatch(/^sk_live_sandbox_/);
  });

  it('refuses an unknown resource with a coded error', () => {
    expect(() => sandboxCsv('nope', 1)).toThrow(expect.objectContaining({ code: 'SANDBOX_UNKNOWN_RESOURCE' }));
  });
});
