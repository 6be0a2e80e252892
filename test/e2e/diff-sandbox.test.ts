import { describe, expect, it } from 'vitest';
import { buildChangeSet, diffTables, type ResourceChange } from '@balkan-audit/diff';
import { NIGHT2_CHANGES, SANDBOX_RESOURCES, SANDBOX_SECRETS, sandboxCsv } from '@balkan-audit/sandbox';
import { createRedactor, getSchema, normaliseCsv } from '@balkan-audit/schema';


async function nightOneToTwo(): Promise<ResourceChange[]> {
  const redactor = createRedactor('e2e-diff-key');
  return Promise.all(SANDBOX_RESOURCES.map(async (resource) => {
    const schema = getSchema(resource);
    const [before, after] = await Promise.all([1, 2].map((night) => normaliseCsv(sandboxCsv(resource, night as 1 | 2), schema, { file: `${resource}-${night}.csv`, redactor })));
    return diffTables(before!, after!);
  }));
}

describe('night 1 → night 2 of the sandbox', () => {
  it('reports exactly the scripted changes, no more, no fewer', async () => {
    const changes = await nightOneToTwo();
    const seenEvents = new Set<string>();
    const seenRecords = new Set<string>();
    for (const scripted of NIGHT2_CHANGES) {
      const change = changes.find((c) => c.resource === scripted.resource)!;
      const { id } = scripted;
      const tag = `${scripted.resource} ${id ?? '-'}`;
      const record = change.changed.find((c) => c.id === id);
      const events = change.events.filter((e) => e.id === id);
      if (scripted.kind === 'noop.json_key_order') {
        expect(record, tag).toBeUndefined();
        expect(events, tag).toEqual([]);
        continue;
      }
      if (scripted.kind === 'volatile.only') {
        expect(record?.changes.map((c) => [c.field, c.volatile]), tag).toEqual(scripted.fields.map((f) => [f, true]));
        expect(events, tag).toEqual([]);
        seenRecords.add(`${tag}`);
        continue;
      }
      if (scripted.kind === 'resource.schema_drift') {
        expect(change.schemaChanges.addedColumns, tag).toEqual(scripted.fields);
        expect(events.map((e) => e.kind), tag).toEqual(['resource.schema_drift']);
        seenEvents.add(`${tag} resource.schema_drift`);
        continue;
      }
      expect(events.map((e) => e.kind), tag).toContain(scripted.kind);
      for (const e of events) seenEvents.add(`${tag} ${e.kind}`);
      seenRecords.add(tag);
      if (scripted.fields.length > 0) {
        expect([...new Set(record?.changes.map((c) => c.field))], tag).toEqual(scripted.fields);
      } else {
        expect([...change.added, ...change.removed].map((r) => r.id), tag).toContain(id);
      }
    }
    const allEvents = changes.flatMap((c) => c.events.map((e) => `${c.resource} ${e.id ?? '-'} ${e.kind}`));
    expect(allEvents.sort()).toEqual([...seenEvents].sort());
    const allRecords = changes.flatMap((c) => [...c.added, ...c.removed, ...c.changed].map((r) => `${c.resource} ${r.id}`));
    expect(allRecords.sort()).toEqual([...seenRecords].sort());
  });

  it('names records in summaries and keeps every sandbox secret out of the change set', async () => {
    const changes = await nightOneToTwo();
    const changeSet = buildChangeSet({ resources: changes, from: null, to: { commit: null, date: '2026-01-02T00:00:00.000Z' }, generatedAt: new Date(0) });
    const json = JSON.stringify(changeSet);
    for (const secret of SANDBOX_SECRETS) expect(json).not.toContain(secret);
    const summaries = changes.flatMap((c) => c.events.map((e) => e.summary));
    expect(summaries).toContain('Integration Workday: status active → inactive');
    expect(summaries).toContain('Integration Salesforce: credential client_secret rotated');
    expect(summaries).toContain('Campaign Test campaign: status pending → completed');
    expect(summaries.join('\n')).not.toMatch(/redacted:hmac-sha256/);
    expect(changeSet.summary).toEqual({ added: 2, removed: 1, changed: 10, events: { high: 2, medium: 8, low: 2 } });
  });
});
