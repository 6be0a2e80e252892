import { describe, expect, it } from 'vitest';
import type { RecordHistory } from '@balkan-audit/diff';
import { renderNightList, renderRecordHistory, type NightList } from './history-markdown.js';
import { HOSTILE } from './_test-change-sets.js';

const scope = { branch: 'main', file: 'snapshots/integrations.csv', read: 365, since: null, limit: null };
const fingerprint = (hex: string) => `redacted:hmac-sha256:${hex.repeat(12)}`;

const HISTORY: RecordHistory = {
  resource: 'integrations',
  id: '4',
  entries: [
    {
      commit: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b', date: '2026-03-02T02:00:00.000Z', event: 'changed', changes: [
        { field: 'Last Run', path: [], op: 'changed', before: '2026-03-01T02:00:00Z', after: '2026-03-02T02:00:00Z', volatile: true },
        { field: 'Status', path: [], op: 'changed', before: 'active', after: 'inactive', volatile: false },
        { field: 'Metadata', path: ['[key=client_secret]', 'value'], op: 'changed', before: fingerprint('a'), after: fingerprint('b'), volatile: false },
        { field: 'Provisioning Options', path: ['scim'], op: 'added', before: null, after: true, volatile: false },
      ],
    },
    {
      commit: '3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a', date: '2026-02-01T02:00:00.000Z', event: 'readded', changes: [
        { field: 'ID', path: [], op: 'added', before: null, after: '4', volatile: false },
        { field: 'Name', path: [], op: 'added', before: null, after: 'Okta', volatile: false },
      ],
    },
    {
      commit: '0011223344556677889900112233445566778899', date: '2026-01-20T02:00:00.000Z', event: 'removed', changes: [
        { field: 'ID', path: [], op: 'removed', before: '4', after: null, volatile: false },
        { field: 'Name', path: [], op: 'removed', before: 'Okta', after: null, volatile: false },
      ],
    },
  ],
};

describe('renderRecordHistory', () => {
  it('lists each entry newest first with its field changes or values', () => {
    expect(renderRecordHistory(HISTORY, { ...scope, name: 'Okta' })).toMatchInlineSnapshot(`
      "## integrations 4 · Okta

      3 changes, newest first · read 365 commits of main that changed snapshots/integrations.csv

      ### 2026-03-02 · changed · \`9a8b7c6d5e4f\`

      | field | change |
      |:--|:--|
      | Last Run (volatile) | 2026-03-01T02:00:00Z → 2026-03-02T02:00:00Z |
      | Status | active → inactive |
      | Metadata\\[key=client\\_secret\\].value | \\[redacted\\] → \\[redacted\\] (secret changed) |
      | Provisioning Options.scim | added: true |

      ### 2026-02-01 · readded · \`3f1c2a9b8d7e\`

      | field | value |
      |:--|:--|
      | ID | 4 |
      | Name | Okta |

      ### 2026-01-20 · removed · \`001122334455\`

      | field | value |
      |:--|:--|
      | ID | 4 |
      | Name | Okta |
      "
    `);
  });

  it('says so when nothing changed in the range asked for', () => {
    expect(renderRecordHistory({ ...HISTORY, entries: [] }, { ...scope, read: 3, since: '2026-06-01', limit: 5 })).toBe([
      '## integrations 4',
      '',
      '0 changes, newest first, since 2026-06-01 (at most 5) · read 3 commits of main that changed snapshots/integrations.csv',
      '',
      'No change to this record since 2026-06-01.',
      '',
    ].join('\n'));
  });

  it('keeps hostile record data inert', () => {
    const hostile: RecordHistory = {
      resource: 'integrations',
      id: HOSTILE[0],
      entries: HOSTILE.map((text, i) => ({
        commit: `${i}`.repeat(40), date: '2026-01-01T00:00:00.000Z', event: 'changed' as const,
        changes: [{ field: text, path: [text], op: 'changed' as const, before: text, after: `${text}!`, volatile: false }],
      })),
    };
    const markdown = renderRecordHistory(hostile, { ...scope, name: HOSTILE[1] });
    for (const raw of [/<img/, /@everyone/, /(?<!\\)\]\(javascript/, /\u202E/, /line\nbreak/, /(?<!\\)\| in name/, /(?<!\\)`code/, /https:\/\//]) expect(markdown).not.toMatch(raw);
    // Each table row stays one row of two cells.
    for (const line of markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| field'))) expect(line.split(/(?<!\\)\|/)).toHaveLength(4);
  });

  it("for a terminal, shows values as they are, but for control characters and cell breaks (target: 'terminal')", () => {
    const owner: RecordHistory = {
      resource: 'integrations', id: '4', entries: [{
        commit: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b', date: '2026-03-02T02:00:00.000Z', event: 'changed', changes: [
          { field: 'Primary Owner', path: [], op: 'changed', before: 'ann@example.com', after: 'mallory@example.com', volatile: false },
          { field: 'Metadata', path: ['[key=client_secret]', 'value'], op: 'changed', before: fingerprint('a'), after: fingerprint('b'), volatile: false },
          { field: 'Description', path: [], op: 'changed', before: 'a | b', after: 'see https://wiki.example/x\u001b[31m #12', volatile: false },
        ],
      }],
    };
    const terminal = renderRecordHistory(owner, { ...scope, name: 'Okta <prod>', target: 'terminal' });
    expect(terminal).toContain('## integrations 4 · Okta <prod>\n');
    expect(terminal).toContain('| Primary Owner | ann@example.com → mallory@example.com |');
    expect(terminal).toContain('| Metadata[key=client_secret].value | [redacted] → [redacted] (secret changed) |');
    expect(terminal).toContain('| Description | a \\| b → see https://wiki.example/x\\u001B[31m #12 |');
    // The same for GitHub is inert there.
    const github = renderRecordHistory(owner, { ...scope, name: 'Okta <prod>' });
    expect(github).toContain('| Primary Owner | ann@&#8203;example.com → mallory@&#8203;example.com |');
    expect(github).toContain('## integrations 4 · Okta &lt;prod&gt;\n');
  });
});

describe('renderNightList', () => {
  it('gives counts and events from the trailers, and says what a commit without them means', () => {
    const list: NightList = {
      resource: 'integrations',
      nights: [
        { commit: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b', date: '2026-03-02T02:00:00.000Z', merge: true, counts: null, baseline: null, events: null },
        { commit: '3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a', date: '2026-02-01T02:00:00.000Z', merge: false, counts: { added: 1, removed: 0, changed: 12_345 }, baseline: null, events: { high: 1, medium: 2, low: 0 } },
        { commit: '0011223344556677889900112233445566778899', date: '2026-01-20T02:00:00.000Z', merge: false, counts: null, baseline: 10_000, events: { high: 0, medium: 0, low: 1 } },
      ],
    };
    expect(renderNightList(list, { ...scope, read: 3, since: '2026-01-01', limit: null })).toMatchInlineSnapshot(`
      "## integrations: 3 nights

      Newest first, since 2026-01-01 · read 3 commits of main that changed snapshots/integrations.csv

      | date | commit | added | removed | changed | high | medium | low |
      |:--|:--|--:|--:|--:|--:|--:|--:|
      | 2026-03-02 | \`9a8b7c6d5e4f\` | merge | — | — | — | — | — |
      | 2026-02-01 | \`3f1c2a9b8d7e\` | 1 | 0 | 12,345 | 1 | 2 | 0 |
      | 2026-01-20 | \`001122334455\` | baseline: 10,000 records |  |  | 0 | 0 | 1 |

      1 commit (1 merge) without a \`Balkan-Audit-Changes\` trailer for integrations (a merge, or made before balkan-audit wrote one, or by hand): \`balkan-audit diff COMMIT~1 COMMIT\` computes what one changed.
      "
    `);
  });
});
