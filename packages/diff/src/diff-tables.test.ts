import { describe, expect, it } from 'vitest';
import { diffTables } from './diff-tables.js';
import { FIXTURES } from './_test-fixtures.js';
import { tableOf } from './_test-tables.js';

type Edit = (rows: Array<Record<string, string>>) => Array<Record<string, string>>;

const patch = (id: string, cells: Record<string, string>): Edit => (rows) => rows.map((r) => (r.ID === id ? { ...r, ...cells } : r));
const add = (row: Record<string, string>): Edit => (rows) => [...rows, row];
const drop = (id: string): Edit => (rows) => rows.filter((r) => r.ID !== id);

async function eventsAfter(resource: string, edit: Edit) {
  const rows = FIXTURES[resource]!.map((r) => ({ ...r }));
  const change = diffTables(await tableOf(resource, rows), await tableOf(resource, edit(rows)));
  return change.events.map((e) => ({ severity: e.severity, kind: e.kind, id: e.id, summary: e.summary }));
}

describe('diffTables events', () => {
  it.each<[string, string, Edit, string, string, string]>([
    ['integrations', 'added', add({ ID: '10', Name: 'Jira', Status: 'active' }), 'high', 'integration.added', 'Integration Jira added'],
    ['integrations', 'removed', drop('4'), 'high', 'integration.removed', 'Integration Okta removed'],
    ['integrations', 'status', patch('4', { Status: 'inactive' }), 'high', 'integration.status_changed', 'Integration Okta: status active → inactive'],
    ['integrations', 'owner', patch('4', { 'Primary Owner': 'alec.benjamin@balkan.id' }), 'medium', 'integration.owner_changed',
      'Integration Okta: primary owner (empty) → alec.benjamin@balkan.id'],
    ['integrations', 'secret rotated', patch('1', {
      Metadata: '[{"name": "Client ID", "key": "client_id", "type": "public", "value": "id-1"}, {"name": "Client Secret", "key": "client_secret", "type": "secret", "value": "s3cr3t-two"}]',
    }), 'medium', 'integration.secret_rotated', 'Integration Amazon Web Services: credential client_secret rotated'],
    ['integrations', 'reviewer precedence', patch('1', { 'Reviewer Precedence': 'primaryowner, manager, riskmanager' }), 'medium',
      'integration.reviewer_precedence_changed', 'Integration Amazon Web Services: reviewer precedence manager, primaryowner, riskmanager → primaryowner, manager, riskmanager'],
    ['integrations', 'metadata option', patch('1', {
      Metadata: '[{"name": "Client ID", "key": "client_id", "type": "public", "value": "id-2"}, {"name": "Client Secret", "key": "client_secret", "type": "secret", "value": "s3cr3t-one"}]',
    }), 'medium', 'integration.options_changed', 'Integration Amazon Web Services: Metadata changed (Metadata [key=client_id].value: id-1 → id-2)'],
    ['integrations', 'provisioning options', patch('1', { 'Provisioning Options': '{"scim": true}' }), 'medium', 'integration.options_changed',
      'Integration Amazon Web Services: Provisioning Options changed (Provisioning Options scim: added true)'],
    ['integrations', 'extraction options', patch('1', { 'Extraction Options': '{"scim": true}' }), 'medium', 'integration.options_changed',
      'Integration Amazon Web Services: Extraction Options changed (Extraction Options scim: false → true)'],
    ['integrations', 'other column', patch('4', { 'Reviewer Count': '2' }), 'low', 'integration.changed', 'Integration Okta: Reviewer Count changed (Reviewer Count: 1 → 2)'],
    ['campaigns', 'added', add({ ID: 'C2', Name: 'Q4 review', Status: 'draft', 'Start Date': '2023-10-01', 'End Date': '2023-10-30', 'Percentage Completed': '0', 'Is Published': 'FALSE' }),
      'medium', 'campaign.added', 'Campaign Q4 review added'],
    ['campaigns', 'removed', drop('01HA02R3KH676CD9XHZAY8SCDZ'), 'high', 'campaign.removed', 'Campaign Test campaign removed'],
    ['campaigns', 'status', patch('01HA02R3KH676CD9XHZAY8SCDZ', { Status: 'completed' }), 'medium', 'campaign.status_changed', 'Campaign Test campaign: status pending → completed'],
    ['campaigns', 'published', patch('01HA02R3KH676CD9XHZAY8SCDZ', { 'Is Published': 'TRUE' }), 'medium', 'campaign.published_changed', 'Campaign Test campaign: published false → true'],
    ['campaigns', 'dates', patch('01HA02R3KH676CD9XHZAY8SCDZ', { 'End Date': '2023-09-30' }), 'low', 'campaign.dates_changed',
      'Campaign Test campaign: dates changed (End Date: 2023-09-26 → 2023-09-30)'],
    ['campaigns', 'recurrence', patch('01HA02R3KH676CD9XHZAY8SCDZ', { Recurrence: 'RRULE:FREQ=WEEKLY' }), 'medium', 'campaign.schedule_changed',
      'Campaign Test campaign: recurrence or escalation changed (Recurrence: RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=+1MO → RRULE:FREQ=WEEKLY)'],
    ['campaigns', 'escalation', patch('01HA02R3KH676CD9XHZAY8SCDZ', { Escalation: '72h' }), 'medium', 'campaign.schedule_changed',
      'Campaign Test campaign: recurrence or escalation changed (Escalation: 168h → 72h)'],
    ['campaigns', 'other column', patch('01HA02R3KH676CD9XHZAY8SCDZ', { Description: 'Renamed' }), 'low', 'campaign.changed',
      'Campaign Test campaign: Description changed (Description: This is a test campaign → Renamed)'],
    ['apps', 'added', add({ 'Tenant ID': '01XB', 'Tenant Name': 'default', 'Tenant Status': 'active', 'Tenant Created At': '2022-01-11', ID: 'jira', Name: 'Jira' }),
      'medium', 'app.added', 'App Jira added'],
    ['apps', 'removed', drop('aws'), 'medium', 'app.removed', 'App Amazon Web Services removed'],
    ['apps', 'tenant status', patch('asana', { 'Tenant Status': 'inactive' }), 'high', 'app.tenant_status_changed', 'App Asana: tenant status active → inactive'],
    ['entity-rules', 'added', add({ ID: '2', entity_filter: '{}', name: 'New insight', created_at: '2024-10-24T10:00:00Z', updated_at: '2024-10-24T10:00:00Z', updated_by: 'user3' }),
      'medium', 'insight.added', 'Custom insight New insight added by user3'],
    ['entity-rules', 'removed', drop('13323523'), 'medium', 'insight.removed', 'Custom insight Sample Insight removed'],
    ['entity-rules', 'filter', patch('13323523', {
      entity_filter: '{"key1": "value9", "key2": ["value2", "value3"], "key3": {"nestedKey": "nestedValue"}}', updated_at: '2024-10-25T11:00:00Z', updated_by: 'user2',
    }), 'medium', 'insight.filter_changed', 'Custom insight Sample Insight: filter changed by user2 (entity_filter key1: value1 → value9)'],
    ['labels', 'added', add({ ID: '8', Name: 'Sensitive', Type: 'risk' }), 'low', 'label.added', 'Label Sensitive added'],
    ['labels', 'removed', drop('7'), 'medium', 'label.removed', 'Label Privileged removed'],
    ['labels', 'renamed', patch('7', { Name: 'Admin' }), 'low', 'label.renamed', 'Label Privileged: renamed to Admin'],
    ['labels', 'type', patch('7', { Type: 'info' }), 'medium', 'label.type_changed', 'Label Privileged: type risk → info'],
    ['labels', 'style', patch('7', { Color: '#00ff00', Icon: 'star' }), 'low', 'label.style_changed',
      'Label Privileged: style changed (Color: #ff0000 → #00ff00; Icon: shield → star)'],
  ])('%s %s', async (resource, _name, edit, severity, kind, summary) => {
    const events = await eventsAfter(resource, edit);
    expect(events).toEqual([{ severity, kind, id: expect.any(String), summary }]);
  });

  it('names composite-key records by their parts', async () => {
    const events = await eventsAfter('apps', patch('aws', { 'Tenant Status': 'suspended' }));
    expect(events.map((e) => e.id)).toEqual(['01XB/aws']);
  });

  it.each<[string, string, Edit]>([
    ['integrations', 'Last Run and Message', patch('4', { 'Last Run': '2021-07-27T18:00:00Z', Message: 'Data Available' })],
    ['campaigns', 'Percentage Completed', patch('01HA02R3KH676CD9XHZAY8SCDZ', { 'Percentage Completed': '50' })],
    ['entity-rules', 'updated_at and updated_by', patch('13323523', { updated_at: '2024-11-01T00:00:00Z', updated_by: 'user9' })],
  ])('raises no event for volatile or bookkeeping-only changes: %s %s', async (resource, _name, edit) => {
    expect(await eventsAfter(resource, edit)).toEqual([]);
  });

  it('never puts a fingerprint or a secret into a summary', async () => {
    const events = await eventsAfter('integrations', patch('1', {
      Metadata: '[{"name": "Client Secret", "key": "client_secret", "type": "secret", "value": "s3cr3t-two"}, {"name": "Token", "key": "api_token", "type": "secret", "value": "tok-9"}]',
    }));
    const text = JSON.stringify(events);
    expect(text).not.toMatch(/redacted:hmac|s3cr3t|tok-9/);
    expect(events.map((e) => e.kind)).toEqual(['integration.secret_rotated', 'integration.options_changed']);
  });
});
