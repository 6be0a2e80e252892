import { describe, expect, it } from 'vitest';
import { buildChangeSet } from './change-set.js';
import { baselineChange, diffTables, failedChange, unchangedChange } from './diff-tables.js';
import { DEFAULT_EVENT_RULES, rekeyedEvent, resolveEventRules, tamperedEvent } from './rules.js';
import { FIXTURES } from './_test-fixtures.js';
import { tableOf } from './_test-tables.js';

describe('event rules', () => {
  it('are plain JSON data', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_EVENT_RULES))).toEqual(DEFAULT_EVENT_RULES);
  });

  it.each<[string, Parameters<typeof resolveEventRules>[0], string, string]>([
    ['a severity by kind', { severities: { 'integration.status_changed': 'low' } }, 'low', 'integration.status_changed'],
    ['a resource rule set', { resources: { integrations: { changes: [{ kind: 'custom.status', severity: 'medium', fields: ['Status'], summary: '{name} is {after}' }] } } }, 'medium', 'custom.status'],
  ])('can be overridden: %s', async (_name, overrides, severity, kind) => {
    const rows = [FIXTURES.integrations![1]!];
    const change = diffTables(await tableOf('integrations', rows), await tableOf('integrations', [{ ...rows[0]!, Status: 'inactive' }]), { rules: resolveEventRules(overrides) });
    expect(change.events.map((e) => [e.severity, e.kind])).toEqual([[severity, kind]]);
  });

  it('gives an undocumented resource its own rules from a config', async () => {
    const rules = resolveEventRules({ resources: { admins: { added: { kind: 'admin.added', severity: 'high', summary: 'Admin {id} added' } } } });
    const change = diffTables(await tableOf('admins', [], { columns: ['ID'] }), await tableOf('admins', [{ ID: 'ann' }], { columns: ['ID'] }), { rules });
    expect(change.events).toEqual([{ severity: 'high', kind: 'admin.added', id: 'ann', summary: 'Admin ann added' }]);
  });
});

describe('baselineChange, failedChange, buildChangeSet', () => {
  it('summarises a first snapshot as one low event, not one per record', async () => {
    const change = baselineChange(await tableOf('labels', FIXTURES.labels!));
    expect(change).toMatchObject({ status: 'new', counts: { before: 0, after: 1, added: 0 }, added: [] });
    expect(change.events).toEqual([{ severity: 'low', kind: 'resource.baseline', id: null, summary: 'labels: first snapshot, 1 records' }]);
  });

  it('records a failed export with its error and the rows of the last snapshot', () => {
    expect(failedChange('apps', { code: 'EXPORT_NOT_READY_TIMEOUT', message: 'apps: not ready after 900 s' }, 12)).toMatchObject({
      status: 'failed', error: { code: 'EXPORT_NOT_READY_TIMEOUT' }, keptPrevious: true, counts: { before: 12, after: 12, changed: 0 }, events: [],
    });
    expect(failedChange('nosuchthing', { code: 'EXPORT_UNKNOWN_RESOURCE', message: '404' })).toMatchObject({ keptPrevious: false, counts: { before: 0, after: 0 } });
  });

  it('records a resource known unchanged (byte-identical export) with every row unchanged and no event', () => {
    expect(unchangedChange('labels', 7)).toMatchObject({
      status: 'compared', counts: { before: 7, after: 7, added: 0, removed: 0, changed: 0, unchanged: 7 }, events: [],
    });
  });

  it('makes the tampered and rekeyed events from overridable templates', () => {
    const commit = { oid: 'f00dfeedbeef0123456789abcdef0123456789ab', subject: 'fix okta by hand' };
    expect(tamperedEvent(DEFAULT_EVENT_RULES, { resource: 'integrations', file: 'snapshots/integrations.csv', commit })).toEqual({
      severity: 'high', kind: 'snapshot.tampered', id: null,
      summary: 'snapshots/integrations.csv was changed outside balkan-audit in commit f00dfeedbeef ("fix okta by hand"): it no longer matches its manifest; rebuilt from tonight\'s export',
    });
    expect(rekeyedEvent(resolveEventRules({ severities: { 'redaction.rekeyed': 'high' } }), { from: 'aaaaaaaaaaaa', to: 'bbbbbbbbbbbb' })).toMatchObject({
      severity: 'high', kind: 'redaction.rekeyed', id: null, summary: expect.stringContaining('from aaaaaaaaaaaa to bbbbbbbbbbbb'),
    });
  });

  it('sums counts and events by severity', async () => {
    const rows = FIXTURES.integrations!;
    const compared = diffTables(await tableOf('integrations', rows), await tableOf('integrations', [{ ...rows[0]!, Status: 'inactive' }]));
    const changeSet = buildChangeSet({
      resources: [compared, baselineChange(await tableOf('labels', []))],
      tenant: 'acme',
      from: { commit: 'abc', date: '2026-01-01T00:00:00.000Z' },
      to: { commit: null, date: '2026-01-02T00:00:00.000Z' },
      generatedAt: new Date('2026-01-02T01:00:00.000Z'),
      events: [rekeyedEvent(DEFAULT_EVENT_RULES, { from: 'a', to: 'b' })],
    });
    expect(changeSet).toMatchObject({
      schemaVersion: 1, generatedAt: '2026-01-02T01:00:00.000Z', tenant: 'acme',
      summary: { added: 0, removed: 1, changed: 1, events: { high: 2, medium: 1, low: 1 } },
    });
    expect(changeSet.events.map((e) => e.kind)).toEqual(['redaction.rekeyed']);
  });
});
