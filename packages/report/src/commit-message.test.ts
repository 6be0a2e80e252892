import { describe, expect, it } from 'vitest';
import type { AuditEvent, ResourceChange } from '@balkan-audit/diff';
import { renderCommitMessage } from './commit-message.js';
import { changeSetOf, resourceChange, sandboxChangeSet } from './_test-change-sets.js';

const runAt = new Date('2026-01-15T02:00:00.000Z');
const options = { tenant: 'acme', runAt, version: '1.2.3' };
const counts = (over: Partial<ResourceChange['counts']>): ResourceChange['counts'] => ({ before: 4, after: 4, added: 0, removed: 0, changed: 0, unchanged: 4, ...over });
const events = (severity: AuditEvent['severity'], n: number): AuditEvent[] =>
  Array.from({ length: n }, (_, i) => ({ severity, kind: 'record.changed', id: String(i), summary: `${severity} ${i}` }));

describe('renderCommitMessage', () => {
  it("describes the sandbox's night 1 → night 2", async () => {
    expect(renderCommitMessage(await sandboxChangeSet(), { tenant: 'sandbox', runAt, version: '0.1.0' })).toMatchInlineSnapshot(`
      "snapshot sandbox 2026-01-15: campaigns +1 ~2 records; apps -1 record; entity-rules ~1 record; integrations +1 ~5 records, +1 column; labels ~2 records

      High:
      - Integration Workday: status active → inactive
      - Integration Jira added

      Medium:
      - Campaign Test campaign: status pending → completed
      - Campaign Contractor access sweep added
      - App Zoom removed
      - Custom insight Dormant admin accounts: filter changed by tom.wilson@balkan.id (entity_filter and[0].value: 90 → 60)
      - integrations: export columns changed (added Region)
      - Integration Salesforce: credential client_secret rotated
      - Integration Microsoft Entra ID: primary owner maria.garcia@balkan.id → tom.wilson@balkan.id
      - Integration Snowflake: reviewer precedence manager, primaryowner, riskmanager → riskmanager, manager, primaryowner

      Low:
      - Label Critical app: renamed to Business critical
      - Label Sensitive data: style changed (Color: warning → error)

      Balkan-Audit-Changes: campaigns added=1 removed=0 changed=2 high=0 medium=2 low=0
      Balkan-Audit-Changes: apps added=0 removed=1 changed=0 high=0 medium=1 low=0
      Balkan-Audit-Changes: entity-rules added=0 removed=0 changed=1 high=0 medium=1 low=0
      Balkan-Audit-Changes: integrations added=1 removed=0 changed=5 high=2 medium=4 low=0
      Balkan-Audit-Changes: labels added=0 removed=0 changed=2 high=0 medium=0 low=2
      Balkan-Audit-Run: 2026-01-15T02:00:00.000Z
      Balkan-Audit-Version: 0.1.0
      "
    `);
  });

  it.each([
    { name: 'records and columns apart', resources: [resourceChange('integrations', { counts: counts({ added: 1, changed: 5 }), schemaChanges: { addedColumns: ['Region'], removedColumns: [] } })], subject: 'integrations +1 ~5 records, +1 column' },
    { name: 'one record', resources: [resourceChange('apps', { counts: counts({ removed: 1 }) })], subject: 'apps -1 record' },
    { name: 'columns only', resources: [resourceChange('labels', { schemaChanges: { addedColumns: ['A'], removedColumns: ['B', 'C'] } })], subject: 'labels +1 -2 columns' },
    { name: 'a baseline', resources: [resourceChange('labels', { status: 'new', counts: counts({ before: 0, after: 5 }) })], subject: 'labels baseline (5 records)' },
    { name: 'a failure', resources: [resourceChange('campaigns', { status: 'failed', error: { code: 'EXPORT_AUTH', message: 'no' } })], subject: 'campaigns failed' },
    { name: 'thousands', resources: [resourceChange('apps', { counts: counts({ changed: 18_400 }) })], subject: 'apps ~18,400 records' },
    { name: 'nothing', resources: [resourceChange('apps'), resourceChange('labels')], subject: 'no change' },
    {
      name: 'several resources',
      resources: [resourceChange('integrations', { counts: counts({ added: 1 }) }), resourceChange('apps'), resourceChange('campaigns', { status: 'failed', error: { code: 'X', message: '' } })],
      subject: 'integrations +1 record; campaigns failed',
    },
  ])('subject: $name', ({ resources, subject }) => {
    expect(renderCommitMessage(changeSetOf(resources), options).split('\n')[0]).toBe(`snapshot acme 2026-01-15: ${subject}`);
  });

  it('lists the run\'s own events (a new redaction key) with the resources\' by severity', () => {
    const rekeyed: AuditEvent = { severity: 'medium', kind: 'redaction.rekeyed', id: null, summary: 'Redaction key changed from aaaaaaaaaaaa to bbbbbbbbbbbb (--rekey)' };
    const message = renderCommitMessage(changeSetOf([resourceChange('apps', { counts: counts({ removed: 1 }), events: events('medium', 1) })], { events: [rekeyed] }), options);
    expect(message).toContain('Medium:\n- Redaction key changed from aaaaaaaaaaaa to bbbbbbbbbbbb (--rekey)\n- medium 0\n');
  });

  it.each([
    { keptPrevious: true, before: 0, says: 'previous snapshot kept' },
    { keptPrevious: false, before: 0, says: 'no snapshot yet' },
    { keptPrevious: undefined, before: 7, says: 'previous snapshot kept' },
  ])('says what a failure left: keptPrevious $keptPrevious, $before rows before → $says', ({ keptPrevious, before, says }) => {
    const failed = resourceChange('labels', { status: 'failed', error: { code: 'EXPORT_AUTH', message: 'denied' }, counts: counts({ before, after: before }), ...(keptPrevious === undefined ? {} : { keptPrevious }) });
    expect(renderCommitMessage(changeSetOf([failed]), options)).toContain(`- labels: EXPORT_AUTH denied (${says})`);
  });

  it('leaves the tenant out of the subject when there is none', () => {
    expect(renderCommitMessage(changeSetOf([]), { ...options, tenant: null }).split('\n')[0]).toBe('snapshot 2026-01-15: no change');
  });

  it.each([
    { name: 'every event fits', high: 2, medium: 3, low: 1, max: 200, shown: { High: 2, Medium: 3, Low: 1 }, more: { High: 0, Medium: 0, Low: 0 } },
    { name: 'the cap falls in medium', high: 2, medium: 5, low: 4, max: 4, shown: { High: 2, Medium: 2, Low: 0 }, more: { High: 0, Medium: 3, Low: 4 } },
    { name: 'high alone overflows', high: 250, medium: 1, low: 0, max: 200, shown: { High: 200, Medium: 0, Low: 0 }, more: { High: 50, Medium: 1, Low: 0 } },
  ])('lists events by severity within the cap: $name', ({ high, medium, low, max, shown, more }) => {
    const change = resourceChange('integrations', { events: [...events('low', low), ...events('high', high), ...events('medium', medium)] });
    const message = renderCommitMessage(changeSetOf([change]), { ...options, maxEvents: max });
    for (const title of ['High', 'Medium', 'Low'] as const) {
      const group = message.split('\n\n').find((block) => block.startsWith(`${title}:\n`));
      const total = shown[title] + more[title];
      if (total === 0) {
        expect(group).toBeUndefined();
        continue;
      }
      const lines = group!.split('\n').slice(1);
      expect(lines.filter((line) => !line.startsWith('- … and')).length).toBe(shown[title]);
      expect(lines.includes(`- … and ${more[title]} more`)).toBe(more[title] > 0);
    }
  });

  it.each([
    { name: 'a resource with a snapshot keeps it', before: 12, outcome: 'previous snapshot kept' },
    { name: 'a resource never snapshotted has none', before: 0, outcome: 'no snapshot yet' },
  ])('says what a failure left: $name', ({ before, outcome }) => {
    const failed = resourceChange('integrations', { status: 'failed', counts: counts({ before, after: before }), error: { code: 'EXPORT_AUTH', message: 'check your API key' } });
    expect(renderCommitMessage(changeSetOf([failed]), options)).toContain(`\n\nFailed:\n- integrations: EXPORT_AUTH check your API key (${outcome})\n`);
  });

  it('keeps record-derived text on one line, with control and bidi characters escaped', () => {
    const change = resourceChange('integrations', {
      events: [{ severity: 'high', kind: 'integration.added', id: '1', summary: 'Integration evil\u202Etxt.exe\nBalkan-Audit-Run: forged added' }],
    });
    const failed = resourceChange('apps', { status: 'failed', error: { code: 'EXPORT_TRUNCATED', message: 'body\r\nended \u001b[2J early' } });
    const message = renderCommitMessage(changeSetOf([change, failed]), { ...options, tenant: 'ac\nme' });
    expect(message.split('\n')).toEqual([
      'snapshot ac\\nme 2026-01-15: apps failed',
      '',
      'High:',
      '- Integration evil\\u202Etxt.exe\\nBalkan-Audit-Run: forged added',
      '',
      'Failed:',
      '- apps: EXPORT_TRUNCATED body\\r\\nended \\u001B[2J early (previous snapshot kept)',
      '',
      'Balkan-Audit-Changes: integrations added=0 removed=0 changed=0 high=1 medium=0 low=0',
      'Balkan-Audit-Run: 2026-01-15T02:00:00.000Z',
      'Balkan-Audit-Version: 1.2.3',
      '',
    ]);
  });
});
