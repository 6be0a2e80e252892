import { describe, expect, it } from 'vitest';
import { DOCUMENTED_EXPORTS, resolveExport } from './resources.js';

describe('DOCUMENTED_EXPORTS', () => {
  it('lists the five documented exports', () => {
    expect(DOCUMENTED_EXPORTS.map((spec) => spec.resource)).toEqual(['campaigns', 'apps', 'entity-rules', 'integrations', 'labels']);
    expect(DOCUMENTED_EXPORTS.every((spec) => spec.documented && spec.path === spec.resource)).toBe(true);
  });

  it('gives only campaigns a body, with both required fields', () => {
    const withBody = DOCUMENTED_EXPORTS.filter((spec) => spec.body);
    expect(withBody.map((spec) => spec.resource)).toEqual(['campaigns']);
    expect(withBody[0]!.body!({})).toEqual({ includeCompleted: true, includeDraft: true });
    expect(withBody[0]!.body!({ campaigns: { includeCompleted: false, includeDraft: true } })).toEqual({ includeCompleted: false, includeDraft: true });
  });
});

describe('resolveExport', () => {
  it.each(['admins', 'entitlements', 'entity-relations', 'rbac2'])('accepts the undocumented export %s', (name) => {
    expect(resolveExport(name)).toEqual({ resource: name, path: name, documented: false });
  });

  it('returns the documented spec for a documented name', () => {
    expect(resolveExport('campaigns')).toBe(DOCUMENTED_EXPORTS[0]);
  });

  it.each(['', 'Admins', '../admins', 'admins/x', 'admins?x=1', 'admins ', 'a_b', '%2e%2e', 'x'.repeat(101)])('refuses %j', (name) => {
    expect(() => resolveExport(name)).toThrow(expect.objectContaining({ code: 'EXPORT_INVALID_RESOURCE' }));
  });
});
