import { describe, expect, it } from 'vitest';
import type { ChangeSet, ResourceChange } from '@balkan-audit/diff';
import { composeCommitMessage } from './commit-message.js';

const runAt = new Date('2026-11-22T02:00:00.000Z');

function change(resource: string, overrides: Partial<ResourceChange> = {}): ResourceChange {
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

function changeSet(resources: ResourceChange[]): ChangeSet {
  return {
    schemaVersion: 1,
    generatedAt: runAt.toISOString(),
    tenant: 'acme',
    from: null,
    to: { commit: null, date: runAt.toISOString() },
    summary: { added: 0, removed: 0, changed: 0, events: { high: 0, medium: 0, low: 0 } },
    events: [],
    resources,
  };
}

describe('composeCommitMessage', () => {
  it('says what changed in the subject, lists high events and failures, and ends with trailers', () => {
    const message = composeCommitMessage({
      tenant: 'acme',
      runAt,
      version: '1.2.3',
      changeSet: changeSet([
        change('integrations', {
          counts: { before: 4, after: 5, added: 1, removed: 0, changed: 2, unchanged: 2 },
          events: [
            { severity: 'high', kind: 'integration.added', id: '10', summary: 'Integration Jira added' },
            { severity: 'medium', kind: 'integration.owner_changed', id: '3', summary: 'Integration Slack: primary owner changed' },
          ],
        }),
        change('campaigns', { counts: { before: 3, after: 3, added: 0, removed: 0, changed: 1, unchanged: 2 } }),
        change('labels'),
        change('apps', { status: 'failed', error: { code: 'EXPORT_TRUNCATED', message: 'body ended\nearly' } }),
      ]),
    });
    expect(message).toBe([
      'snapshot acme 2026-11-22: integrations +1 ~2, campaigns ~1, apps failed',
      '',
      'High-severity events:',
      '- Integration Jira added',
      '',
      'Failed (previous snapshot kept):',
      '- apps: EXPORT_TRUNCATED body ended early',
      '',
      'Balkan-Audit-Run: 2026-11-22T02:00:00.000Z',
      'Balkan-Audit-Version: 1.2.3',
      '',
    ].join('\n'));
  });

  it.each([
    { resources: [change('labels', { status: 'new', counts: { before: 0, after: 7, added: 0, removed: 0, changed: 0, unchanged: 0 } })], subject: 'snapshot 2026-11-22: labels baseline (7)', tenant: null },
    { resources: [change('labels')], subject: 'snapshot acme 2026-11-22: no change', tenant: 'acme' },
    { resources: [change('labels', { schemaChanges: { addedColumns: ['Region'], removedColumns: [] } })], subject: 'snapshot acme 2026-11-22: labels columns', tenant: 'acme' },
  ])('subject: $subject', ({ resources, subject, tenant }) => {
    const message = composeCommitMessage({ tenant, runAt, version: '0.1.0', changeSet: changeSet(resources) });
    expect(message.split('\n')[0]).toBe(subject);
  });
});
