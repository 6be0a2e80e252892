import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildChangeSet, diffTables } from '@balkan-audit/diff';
import * as source from '@balkan-audit/report';
import { SANDBOX_RESOURCES, sandboxCsv } from '@balkan-audit/sandbox';
import { createRedactor, getSchema, normaliseCsv } from '@balkan-audit/schema';

// Tests resolve @balkan-audit/report to its sources, which read src/templates/ from disk. The
// compiled package (built before this suite) must render the same from templates embedded in it.
const dist = new URL('../../packages/report/dist/', import.meta.url);

describe('@balkan-audit/report as built', () => {
  it('renders the same reports from dist, where the templates are embedded and no file is read', async () => {
    expect(existsSync(new URL('index.js', dist))).toBe(true);
    expect(readFileSync(new URL('_templates.js', dist), 'utf8')).not.toMatch(/readFileSync|import\.meta/);
    const built = (await import(new URL('index.js', dist).href)) as typeof source;
    const redactor = createRedactor('e2e-report-key');
    const resources = await Promise.all(SANDBOX_RESOURCES.map(async (resource) => {
      const schema = getSchema(resource);
      const [before, after] = await Promise.all([1, 2].map((night) => normaliseCsv(sandboxCsv(resource, night as 1 | 2), schema, { file: `${resource}.csv`, redactor })));
      return diffTables(before!, after!);
    }));
    const changeSet = buildChangeSet({ resources, tenant: 'e2e', from: { commit: 'a'.repeat(40), date: '2026-01-14T02:00:00Z' }, to: { commit: null, date: '2026-01-15T02:00:00Z' } });
    const options = { tenant: 'e2e', runAt: new Date('2026-01-15T02:00:00Z'), version: '0.1.0' };
    expect(built.renderMarkdown(changeSet)).toBe(source.renderMarkdown(changeSet));
    expect(built.renderHtml(changeSet)).toBe(source.renderHtml(changeSet));
    expect(built.renderCommitMessage(changeSet, options)).toBe(source.renderCommitMessage(changeSet, options));
    expect(built.renderMarkdown(changeSet)).toContain('| integrations | compared | 1 | 0 | 5 | 2 | 4 | 0 | +Region |');
  });
});
