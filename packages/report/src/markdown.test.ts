import { describe, expect, it } from 'vitest';
import type { ResourceChange } from '@balkan-audit/diff';
import { renderMarkdown } from './markdown.js';
import { changeSetOf, HOSTILE, hostileChangeSet, largeChangeSet, resourceChange, sandboxChangeSet } from './_test-change-sets.js';

const counts = (over: Partial<ResourceChange['counts']>): ResourceChange['counts'] => ({ before: 4, after: 4, added: 0, removed: 0, changed: 0, unchanged: 4, ...over });

/** The lines of the summary table (header, delimiter, one row per resource). */
function summaryTable(markdown: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf('| resource | status | added | removed | changed | high | medium | low | schema drift |');
  const end = lines.indexOf('', start);
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('renderMarkdown', () => {
  it("renders the sandbox's night 1 → night 2", async () => {
    expect(renderMarkdown(await sandboxChangeSet())).toMatchInlineSnapshot(`
      "## sandbox: 2026-01-14 → 2026-01-15

      \`3f1c2a9b8d7e\` (2026-01-14) → \`9a8b7c6d5e4f\` (2026-01-15) · generated 2026-01-15T02:03:04.000Z

      > [!WARNING]
      > **2 high-severity events**
      > - Integration Workday: status active → inactive
      > - Integration Jira added

      | resource | status | added | removed | changed | high | medium | low | schema drift |
      |:--|:--|--:|--:|--:|--:|--:|--:|:--|
      | campaigns | compared | 1 | 0 | 2 | 0 | 2 | 0 | — |
      | apps | compared | 0 | 1 | 0 | 0 | 1 | 0 | — |
      | entity-rules | compared | 0 | 0 | 1 | 0 | 1 | 0 | — |
      | integrations | compared | 1 | 0 | 5 | 2 | 4 | 0 | +Region |
      | labels | compared | 0 | 0 | 2 | 0 | 0 | 2 | — |

      ### campaigns

      **Medium** (2)

      - Campaign Test campaign: status pending → completed \`campaign.status_changed\`
      - Campaign Contractor access sweep added \`campaign.added\`

      **Added (1)**

      | ID | record |
      |:--|:--|
      | 01HQAB4C5D6E7F8G9H0J1K2M3N | ID: 01HQAB4C5D6E7F8G9H0J1K2M3N; Name: Contractor access sweep; Description: Monthly sweep of contractor accounts; Status: pending; Start Date: 2026-01-15; End Date: 2026-01-29; Percentage Completed: … |

      **Changed (2)**

      | ID | field | change |
      |:--|:--|:--|
      | 01HA02R3KH676CD9XHZAY8SCDZ | Status | pending → completed |
      |  | Percentage Completed | 35.24 → 100 (volatile) |

      <details><summary>1 record with volatile changes only</summary>

      | ID | field | change |
      |:--|:--|:--|
      | 01HQ8ZK3V4M6N8P0R2S4T6V8XA | Percentage Completed | 12.5 → 57.75 (volatile) |

      </details>

      ### apps

      **Medium** (1)

      - App Zoom removed \`app.removed\`

      **Removed (1)**

      | ID | record |
      |:--|:--|
      | 01XB/zoom | Tenant ID: 01XB; Tenant Name: default; Tenant Status: active; Tenant Created At: 2022-01-11; ID: zoom; Name: Zoom; Description: Video conferencing |

      ### entity-rules

      **Medium** (1)

      - Custom insight Dormant admin accounts: filter changed by tom.wilson@&#8203;balkan.id (entity\\_filter and\\[0\\].value: 90 → 60) \`insight.filter_changed\`

      **Changed (1)**

      | ID | field | change |
      |:--|:--|:--|
      | 13323524 | entity\\_filter.and\\[0\\].value | 90 → 60 |
      |  | updated\\_at | 2025-11-03T09:15:00Z → 2026-01-14T16:42:00Z |
      |  | updated\\_by | priya.nair@&#8203;balkan.id → tom.wilson@&#8203;balkan.id |

      ### integrations

      Columns changed: +Region

      **High** (2)

      - Integration Workday: status active → inactive \`integration.status_changed\`
      - Integration Jira added \`integration.added\`

      **Medium** (4)

      - integrations: export columns changed (added Region) \`resource.schema_drift\`
      - Integration Salesforce: credential client\\_secret rotated \`integration.secret_rotated\`
      - Integration Microsoft Entra ID: primary owner maria.garcia@&#8203;balkan.id → tom.wilson@&#8203;balkan.id \`integration.owner_changed\`
      - Integration Snowflake: reviewer precedence manager, primaryowner, riskmanager → riskmanager, manager, primaryowner \`integration.reviewer_precedence_changed\`

      **Added (1)**

      | ID | record |
      |:--|:--|
      | 10 | ID: 10; Name: Jira; Description: Issue tracking, "Cloud" edition; Last Run: 2026-01-15T02:00:00Z; Status: active; Primary Owner: priya.nair@&#8203;balkan.id; Message: Data Available; Metadata: \\[{"key":"site… |

      **Changed (5)**

      | ID | field | change |
      |:--|:--|:--|
      | 6 | Metadata\\[key=client\\_secret\\].value | \\[redacted\\] → \\[redacted\\] (secret changed) |
      | 7 | Status | active → inactive |
      | 8 | Primary Owner | maria.garcia@&#8203;balkan.id → tom.wilson@&#8203;balkan.id |
      | 9 | Reviewer Precedence | reordered: manager, primaryowner, riskmanager → riskmanager, manager, primaryowner |

      <details><summary>1 record with volatile changes only</summary>

      | ID | field | change |
      |:--|:--|:--|
      | 3 | Last Run | 2021-07-26T18:00:00Z → 2026-01-15T02:00:00Z (volatile) |
      |  | Message | Data Available → Sync completed with 2 warnings (volatile) |

      </details>

      ### labels

      <details><summary>Low (2)</summary>

      - Label Critical app: renamed to Business critical \`label.renamed\`
      - Label Sensitive data: style changed (Color: warning → error) \`label.style_changed\`

      </details>

      **Changed (2)**

      | ID | field | change |
      |:--|:--|:--|
      | app/critical | Name | Critical app → Business critical |
      | entitlement/sensitive | Color | warning → error |
      "
    `);
  });

  it('gives a baseline resource one line, not its records', () => {
    const markdown = renderMarkdown(changeSetOf([resourceChange('labels', {
      status: 'new',
      counts: counts({ before: 0, after: 5000 }),
      events: [{ severity: 'low', kind: 'resource.baseline', id: null, summary: 'labels: first snapshot, 5000 records' }],
    })], { from: null }));
    const section = markdown.slice(markdown.indexOf('### labels'));
    expect(section).toBe('### labels\n\nFirst snapshot (baseline) of 5,000 records.\n');
    expect(markdown).toContain('| labels | new (5,000 records) | — | — | — | 0 | 0 | 1 | — |');
    expect(markdown).toContain('First snapshot: not committed (2026-01-15)');
  });

  it.each([
    { name: 'with a snapshot', before: 7, outcome: 'previous snapshot kept' },
    { name: 'never snapshotted', before: 0, outcome: 'no snapshot yet' },
  ])('shows a failed resource as a warning with its code and message ($name)', ({ before, outcome }) => {
    const failed = resourceChange('campaigns', { status: 'failed', counts: counts({ before, after: before }), error: { code: 'EXPORT_AUTH', message: 'check your API key' } });
    expect(renderMarkdown(changeSetOf([failed]))).toContain(`### campaigns\n\n> [!WARNING]\n> **Export failed** \`EXPORT_AUTH\`: check your API key (${outcome})\n`);
  });

  it('gives an unchanged resource its summary row and no section', () => {
    const markdown = renderMarkdown(changeSetOf([resourceChange('apps'), resourceChange('labels', { counts: counts({ changed: 1 }), changed: [{ id: '7', changes: [{ field: 'Name', path: [], op: 'changed', before: 'a', after: 'b', volatile: false }] }] })]));
    expect(markdown).toContain('| apps | compared | 0 | 0 | 0 | 0 | 0 | 0 | — |');
    expect(markdown).not.toContain('### apps');
    expect(markdown).toContain('### labels');
  });

  it('folds records whose changes are all volatile in <details>', () => {
    const markdown = renderMarkdown(changeSetOf([resourceChange('integrations', {
      counts: counts({ changed: 2 }),
      changed: [
        { id: '3', changes: [{ field: 'Last Run', path: [], op: 'changed', before: '2026-01-14', after: '2026-01-15', volatile: true }] },
        { id: '4', changes: [{ field: 'Status', path: [], op: 'changed', before: 'active', after: 'inactive', volatile: false }, { field: 'Message', path: [], op: 'changed', before: 'ok', after: 'error', volatile: true }] },
      ],
    })]));
    const [open, folded] = markdown.split('<details><summary>1 record with volatile changes only</summary>');
    expect(open).toContain('| 4 | Status | active → inactive |\n|  | Message | ok → error (volatile) |');
    expect(open).not.toContain('| 3 |');
    expect(folded).toContain('| 3 | Last Run | 2026-01-14 → 2026-01-15 (volatile) |');
  });

  it('lists the run\'s own events under the headline, and a high one in the callout', () => {
    const markdown = renderMarkdown(changeSetOf([resourceChange('apps')], {
      events: [
        { severity: 'medium', kind: 'redaction.rekeyed', id: null, summary: 'Redaction key changed from aaaaaaaaaaaa to bbbbbbbbbbbb (--rekey)' },
        { severity: 'high', kind: 'run.example', id: null, summary: 'Something about the whole run' },
      ],
    }));
    expect(markdown).toContain('This run:\n- **medium** Redaction key changed from aaaaaaaaaaaa to bbbbbbbbbbbb (--rekey) `redaction.rekeyed`\n');
    expect(markdown).toMatch(/> \[!WARNING\]\n> \*\*1 high-severity event\*\*\n> - Something about the whole run\n/);
  });

  it.each([
    { name: 'a rotated secret', comparable: undefined, text: '\\[redacted\\] → \\[redacted\\] (secret changed)' },
    { name: 'fingerprints made with different keys', comparable: false as const, text: 'not comparable (secret fingerprints made with different redaction keys)' },
  ])('never shows a fingerprint: $name', ({ comparable, text }) => {
    const change = {
      field: 'Metadata', path: ['[key=client_secret]', 'value'], op: 'changed' as const, volatile: false,
      before: 'redacted:hmac-sha256:0123456789ab', after: 'redacted:hmac-sha256:ba9876543210', ...(comparable === undefined ? {} : { comparable }),
    };
    const markdown = renderMarkdown(changeSetOf([resourceChange('integrations', { counts: counts({ changed: 1 }), changed: [{ id: '6', changes: [change] }] })]));
    expect(markdown).toContain(`| 6 | Metadata\\[key=client\\_secret\\].value | ${text} |`);
    expect(markdown).not.toMatch(/hmac|0123456789ab/);
  });

  it('renders event kinds it does not know from their severity, kind and summary', () => {
    const markdown = renderMarkdown(changeSetOf([resourceChange('integrations', {
      events: [
        { severity: 'high', kind: 'snapshot.tampered', id: null, summary: 'integrations.csv was changed outside balkan-audit' },
        { severity: 'medium', kind: 'redaction.rekeyed', id: null, summary: 'the redaction key changed' },
      ],
    })]));
    expect(markdown).toContain('> [!WARNING]\n> **1 high-severity event**\n> - integrations.csv was changed outside balkan-audit\n');
    expect(markdown).toContain('**High** (1)\n\n- integrations.csv was changed outside balkan-audit `snapshot.tampered`\n');
    expect(markdown).toContain('**Medium** (1)\n\n- the redaction key changed `redaction.rekeyed`\n');
  });

  it.each([
    { name: 'a title', options: { title: 'integrations: old.csv → new.csv' }, headline: '## integrations: old.csv → new.csv' },
    { name: 'a hostile title', options: { title: '<b>@x</b>' }, headline: '## &lt;b&gt;@&#8203;x&lt;/b&gt;' },
    { name: 'no option', options: {}, headline: '## acme: 2026-01-14 → 2026-01-15' },
  ])('takes $name', ({ options, headline }) => {
    expect(renderMarkdown(changeSetOf([]), options).split('\n')[0]).toBe(headline);
  });

  describe('record data is inert text', () => {
    const markdown = renderMarkdown(hostileChangeSet());

    it.each([
      { name: 'no HTML tag', forbidden: /<(?!\/?(details|summary)>)[a-z/]/i },
      { name: 'no link or image', forbidden: /(?<!\\)\[[^\]]*(?<!\\)\]\(/ },
      { name: 'no mention', forbidden: /(^|[^\w`])@[a-z]/im },
      { name: 'no issue reference', forbidden: /(^|[^\w&])#\d/m },
      { name: 'no bare URL', forbidden: /https?:\/\/|www\./ },
      { name: 'no control or bidi character', forbidden: /[\u0000-\u0009\u000b-\u001f\u202a-\u202e\u2066-\u2069]/ },
    ])('$name', ({ forbidden }) => {
      expect(markdown.replace(/`[\w.:-]+`/g, '')).not.toMatch(forbidden);
    });

    it('escapes code spans, emphasis, strikethrough and math', () => {
      expect(markdown).toContain('| \\`code\\` \\*bold\\* \\_em\\_ \\~\\~del\\~\\~ \\$x\\$ |');
    });

    it('keeps every table row on one line with its cells', () => {
      const rows = markdown.split('\n').filter((line) => line.startsWith('|'));
      for (const row of rows) {
        const cells = row.replace(/\\\|/g, '').split('|').length - 2;
        expect([2, 3, 9]).toContain(cells);
      }
      expect(rows.filter((row) => row.includes('pipe \\| in name')).length).toBe(2);
    });

    it('still names every hostile record', () => {
      expect(markdown).toContain('| &lt;img src=x onerror=alert(1)&gt; |');
      expect(markdown).toContain('| h5 | Name | Safe → line\\\\nbreak |');
      expect(markdown).toContain('evil\\\\u202Etxt.exe');
      expect(HOSTILE.length).toBe(10);
    });
  });

  describe("for a terminal (target: 'terminal')", () => {
    const markdown = renderMarkdown(hostileChangeSet(), { target: 'terminal' });

    it('shows record data as it is: no entity, no zero-width space, no backslash before punctuation', () => {
      expect(markdown).toContain('| <img src=x onerror=alert(1)> |');
      expect(markdown).toContain('| @everyone |');
      expect(markdown).toContain('| `code` *bold* _em_ ~~del~~ $x$ |');
      expect(markdown).toContain('https://evil.example/phish www.evil.example');
      expect(markdown).not.toMatch(/&#8203;|&lt;|&amp;/);
    });

    it('still escapes what a terminal acts on, and keeps every table row to its cells', () => {
      expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202a-\u202e\u2066-\u2069]/);
      expect(markdown).toContain('evil\\u202Etxt.exe');
      expect(markdown).toContain('| h5 | Name | Safe → line\\nbreak |');
      for (const row of markdown.split('\n').filter((line) => line.startsWith('|'))) {
        expect([2, 3, 9]).toContain(row.replace(/\\\|/g, '').split('|').length - 2);
      }
    });

    it('has the same lines as the GitHub body but for the escaped text', () => {
      const github = renderMarkdown(hostileChangeSet());
      expect(markdown.split('\n').length).toBe(github.split('\n').length);
      expect(markdown.split('\n').filter((line) => line.startsWith('#'))).toEqual(github.split('\n').filter((line) => line.startsWith('#')).map((line) => line.replace(/\\/g, '')));
    });
  });

  describe('a 20,000-change set', () => {
    const changeSet = largeChangeSet();

    it('stays within 60,000 characters, keeps its summary table and says what it left out', () => {
      const markdown = renderMarkdown(changeSet, { htmlReport: 'report.html' });
      expect(markdown.length).toBeLessThanOrEqual(60_000);
      expect(summaryTable(markdown)).toEqual([
        '| resource | status | added | removed | changed | high | medium | low | schema drift |',
        '|:--|:--|--:|--:|--:|--:|--:|--:|:--|',
        '| integrations | compared | 0 | 0 | 20,000 | 1 | 400 | 2,000 | — |',
      ]);
      // Low details go first; then as many medium and high ones as fit are listed, and the rest counted.
      expect(markdown).toContain('> [!NOTE]\n> Low-severity events and changes are left out to fit a pull request; the full report is report.html.');
      expect(markdown).toMatch(/\*\*Medium\*\* \(400\)\n\n(- .*\n){195}- … and 205 more\n/);
      expect(markdown).toContain('_… 2,000 events (2,000 low), 19,805 of 20,000 changed records not shown; see report.html._');
      // Lists are cut by rows, never inside a table: every table still has its header.
      expect(markdown.split('\n').filter((line) => line.startsWith('|:--')).length).toBe(2);
    });

    it.each([
      { maxLength: 200_000, note: 'Low-severity events and changes are left out', hidden: '2,000 events (2,000 low), 19,600 of 20,000 changed records' },
      { maxLength: 60_000, note: 'Low-severity events and changes are left out', hidden: '2,000 events (2,000 low), 19,805 of 20,000 changed records' },
      { maxLength: 1_200, note: 'Only high-severity events and changes are listed', hidden: '2,400 events (400 medium, 2,000 low), 19,999 of 20,000 changed records' },
      { maxLength: 1_000, note: 'Only counts are listed', hidden: '2,401 events (1 high, 400 medium, 2,000 low), 20,000 of 20,000 changed records' },
      { maxLength: 700, note: 'Only the summary table fits', hidden: null },
    ])('degrades step by step: within $maxLength characters', ({ maxLength, note, hidden }) => {
      const markdown = renderMarkdown(changeSet, { maxLength, htmlReport: 'https://ci.example/run/1/report.html' });
      expect(markdown.length).toBeLessThanOrEqual(maxLength);
      expect(markdown).toContain(`> ${note}`);
      expect(markdown).toContain('the full report is [the HTML report](https://ci.example/run/1/report.html).');
      expect(summaryTable(markdown)).toHaveLength(3);
      if (hidden) expect(markdown).toContain(`_… ${hidden} not shown; see [the HTML report](https://ci.example/run/1/report.html)._`);
      else expect(markdown).not.toContain('### integrations');
    });
  });
});
