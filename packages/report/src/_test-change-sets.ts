import { buildChangeSet, diffTables, type ChangeSet, type FieldChange, type RecordChange, type ResourceChange } from '@balkan-audit/diff';
import { SANDBOX_RESOURCES, sandboxCsv } from '@balkan-audit/sandbox';
import { createRedactor, getSchema, normaliseCsv } from '@balkan-audit/schema';

export const NIGHT1 = { commit: '3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a', date: '2026-01-14T02:00:00.000Z' };
export const NIGHT2 = { commit: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b', date: '2026-01-15T02:00:00.000Z' };
const REDACTION_KEY = 'report-tests-redaction-key';

/** The sandbox's night 1 → night 2 change set, from the real CSVs through schema and diff, dates frozen. */
export async function sandboxChangeSet(): Promise<ChangeSet> {
  const redactor = createRedactor(REDACTION_KEY);
  const resources = await Promise.all(SANDBOX_RESOURCES.map(async (resource) => {
    const schema = getSchema(resource);
    const [before, after] = await Promise.all([1, 2].map((night) =>
      normaliseCsv(sandboxCsv(resource, night as 1 | 2), schema, { file: `${resource}.csv`, redactor })));
    return diffTables(before!, after!);
  }));
  return buildChangeSet({ resources, tenant: 'sandbox', from: NIGHT1, to: NIGHT2, generatedAt: new Date('2026-01-15T02:03:04.000Z') });
}

/** A change set of one resource, summary filled in. */
export function changeSetOf(resources: ResourceChange[], overrides: Partial<ChangeSet> = {}): ChangeSet {
  return { ...buildChangeSet({ resources, tenant: 'acme', from: NIGHT1, to: { ...NIGHT2, commit: null }, generatedAt: new Date(NIGHT2.date) }), ...overrides };
}

/** A resource change with everything empty but what is given. */
export function resourceChange(resource: string, overrides: Partial<ResourceChange> = {}): ResourceChange {
  return {
    resource,
    status: 'compared',
    counts: { before: 4, after: 4, added: 0, removed: 0, changed: 0, unchanged: 4 },
    schemaChanges: { addedColumns: [], removedColumns: [] },
    added: [],
    removed: [],
    changed: [],
    events: [],
    ...overrides,
  };
}

/** Record names and values an attacker could put in the tenant's data. */
export const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '@everyone',
  '[x](javascript:alert(1))',
  '#1',
  'pipe | in name',
  'line\nbreak',
  'evil\u202Etxt.exe',
  '</script><script>window.pwned=1</script>',
  '`code` *bold* _em_ ~~del~~ $x$',
  'https://evil.example/phish www.evil.example',
] as const;

/** Hostile text in every place a report shows record data: ids, names, values, events, errors. */
export function hostileChangeSet(): ChangeSet {
  const change = (i: number, name: string): RecordChange => ({
    id: `h${i}`,
    changes: [{ field: 'Name', path: [], op: 'changed', before: 'Safe', after: name, volatile: false }],
  });
  return changeSetOf([
    resourceChange('integrations', {
      counts: { before: 20, after: 20 + HOSTILE.length, added: HOSTILE.length, removed: 0, changed: HOSTILE.length, unchanged: 10 },
      added: HOSTILE.map((name, i) => ({ id: name, record: { ID: name, Name: name, Status: 'active' } })),
      changed: HOSTILE.map((name, i) => change(i, name)),
      events: HOSTILE.map((name) => ({ severity: 'high' as const, kind: 'integration.added', id: name, summary: `Integration ${name} added` })),
      schemaChanges: { addedColumns: ['<b>col</b>'], removedColumns: [] },
    }),
    resourceChange('campaigns', { status: 'failed', error: { code: 'EXPORT_AUTH', message: '<img src=x onerror=alert(1)> @everyone #1\nline' } }),
  ]);
}

/**
 * `changed` records changed on a resource of `rows` rows: a status change (medium event) on every
 * 50th, a Name change (low event) on every 10th, volatile Last Run changes on all of them.
 */
export function largeChangeSet(changed = 20_000, rows = 1_000_000): ChangeSet {
  const records: RecordChange[] = [];
  const events: ResourceChange['events'][number][] = [];
  for (let i = 0; i < changed; i++) {
    const id = String(100_000 + i * 37);
    const changes: FieldChange[] = [{ field: 'Last Run', path: [], op: 'changed', before: '2026-01-14T02:00:00Z', after: '2026-01-15T02:00:00Z', volatile: true }];
    if (i % 10 === 0) {
      changes.unshift({ field: 'Name', path: [], op: 'changed', before: `Integration ${id}`, after: `Integration ${id} (renamed)`, volatile: false });
      events.push({ severity: 'low', kind: 'integration.changed', id, summary: `Integration ${id}: name changed` });
    }
    if (i % 50 === 0) {
      changes.push({ field: 'Metadata', path: ['[key=region]', 'value'], op: 'changed', before: 'us-east-1', after: 'eu-west-1', volatile: false });
      events.push({ severity: 'medium', kind: 'integration.options_changed', id, summary: `Integration ${id}: options changed (Metadata [key=region].value)` });
    }
    records.push({ id, changes });
  }
  events.push({ severity: 'high', kind: 'integration.status_changed', id: records[0]!.id, summary: `Integration ${records[0]!.id}: status active → inactive` });
  return changeSetOf([resourceChange('integrations', {
    counts: { before: rows, after: rows, added: 0, removed: 0, changed, unchanged: rows - changed },
    changed: records,
    events,
  })]);
}
