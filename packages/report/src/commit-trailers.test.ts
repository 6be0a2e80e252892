import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@balkan-audit/diff';
import { renderCommitMessage } from './commit-message.js';
import { readChangeTrailers } from './commit-trailers.js';
import { changeSetOf, resourceChange, sandboxChangeSet } from './_test-change-sets.js';

const options = { tenant: 'acme', runAt: new Date('2026-01-15T02:00:00.000Z'), version: '1.2.3' };
const event = (severity: AuditEvent['severity']): AuditEvent => ({ severity, kind: 'record.changed', id: '1', summary: 'x' });

describe('Balkan-Audit-Changes trailers', () => {
  it('say per resource what the night changed, and read back', async () => {
    const message = renderCommitMessage(await sandboxChangeSet(), options);
    expect(message.split('\n').filter((l) => l.startsWith('Balkan-Audit-Changes:'))).toEqual([
      'Balkan-Audit-Changes: campaigns added=1 removed=0 changed=2 high=0 medium=2 low=0',
      'Balkan-Audit-Changes: apps added=0 removed=1 changed=0 high=0 medium=1 low=0',
      'Balkan-Audit-Changes: entity-rules added=0 removed=0 changed=1 high=0 medium=1 low=0',
      'Balkan-Audit-Changes: integrations added=1 removed=0 changed=5 high=2 medium=4 low=0',
      'Balkan-Audit-Changes: labels added=0 removed=0 changed=2 high=0 medium=0 low=2',
    ]);
    expect(readChangeTrailers(message).find((t) => t.resource === 'integrations')).toEqual({
      resource: 'integrations', counts: { added: 1, removed: 0, changed: 5 }, baseline: null, events: { high: 2, medium: 4, low: 0 },
    });
  });

  it('give a baseline its rows, and nothing to a resource that did not change or failed', () => {
    const message = renderCommitMessage(changeSetOf([
      resourceChange('labels', { status: 'new', counts: { before: 0, after: 5, added: 0, removed: 0, changed: 0, unchanged: 0 }, events: [event('low')] }),
      resourceChange('apps'),
      resourceChange('campaigns', { status: 'failed', error: { code: 'EXPORT_AUTH', message: 'no' } }),
      resourceChange('admins', { schemaChanges: { addedColumns: ['Role'], removedColumns: [] }, events: [event('medium')] }),
    ]), options);
    expect(readChangeTrailers(message)).toEqual([
      { resource: 'labels', counts: null, baseline: 5, events: { high: 0, medium: 0, low: 1 } },
      { resource: 'admins', counts: { added: 0, removed: 0, changed: 0 }, baseline: null, events: { high: 0, medium: 1, low: 0 } },
    ]);
  });

  it('are trailers to git itself', async () => {
    const message = renderCommitMessage(await sandboxChangeSet(), options);
    const parsed = execFileSync('git', ['interpret-trailers', '--parse'], { input: message, encoding: 'utf8' });
    expect(parsed.split('\n').filter((l) => l.startsWith('Balkan-Audit-'))).toHaveLength(7);
  });

  it.each([
    ['no trailers', 'Merge pull request #12 from acme/nightly\n\nsnapshot acme 2026-01-15'],
    ['outside the last paragraph', 'snapshot\n\nBalkan-Audit-Changes: apps added=1 removed=0 changed=0 high=0 medium=0 low=0\n\nSigned-off-by: x'],
    ['a count missing', 'snapshot\n\nBalkan-Audit-Changes: apps added=1 removed=0 high=0 medium=0 low=0'],
    ['both counts and a baseline', 'snapshot\n\nBalkan-Audit-Changes: apps added=1 removed=0 changed=0 baseline=3 high=0 medium=0 low=0'],
    ['not numbers', 'snapshot\n\nBalkan-Audit-Changes: apps added=x removed=0 changed=0 high=0 medium=0 low=0'],
  ])('are not read from a message with %s', (_, message) => {
    expect(readChangeTrailers(message)).toEqual([]);
  });
});
