import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderRecordHistory } from './history-markdown.js';
import { renderMarkdown } from './markdown.js';
import { HOSTILE, hostileChangeSet, largeChangeSet, sandboxChangeSet } from './_test-change-sets.js';

// GitHub's Markdown is cmark-gfm. Debian's binary (`apt-get install cmark-gfm`, done by .ci/run)
// renders here as GitHub does, before GitHub's sanitiser. Under CI the test must run.
const CMARK = 'cmark-gfm';
const available = spawnSync(CMARK, ['--version']).status === 0;
const EXTENSIONS = ['--extension', 'table', '--extension', 'autolink', '--extension', 'strikethrough', '--extension', 'tagfilter'];

/**
 * `--unsafe` lets raw HTML through (GitHub does too, then sanitises it; `<img>` survives that), so an
 * unescaped `<img>` in the Markdown would show here as one. Without it cmark-gfm drops all raw
 * HTML and the test could not tell escaped from unescaped.
 */
function toHtml(markdown: string, unsafe = true): string {
  return execFileSync(CMARK, [...EXTENSIONS, ...(unsafe ? ['--unsafe'] : [])], { input: markdown, encoding: 'utf8' });
}

/** Every table's rows, as their number of cells; a table broken by a stray `|` or line feed shows. */
function tableShapes(html: string): number[][] {
  return [...html.matchAll(/<table>([\s\S]*?)<\/table>/g)].map(([, table]) =>
    [...table!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) => (row!.match(/<t[hd][ >]/g) ?? []).length));
}

describe.skipIf(!available && !process.env.CI)('renderMarkdown through cmark-gfm (GitHub\'s renderer)', () => {
  it('renders real tables for the sandbox night, each row with its header\'s cells', async () => {
    const html = toHtml(renderMarkdown(await sandboxChangeSet()));
    const shapes = tableShapes(html);
    expect(shapes.length).toBe(10);
    for (const rows of shapes) expect(new Set(rows).size).toBe(1);
    expect(shapes[0]).toEqual([9, 9, 9, 9, 9, 9]);
    expect(html).toContain('<details><summary>Low (2)</summary>');
    expect(toHtml(renderMarkdown(await sandboxChangeSet()), false).match(/<table>/g)).toHaveLength(10);
  });

  describe('hostile record data', () => {
    const html = available ? toHtml(renderMarkdown(hostileChangeSet())) : '';
    const text = html.replace(/<[^>]+>/g, '');

    it.each([
      { name: 'no element but the report\'s own', pattern: /<(?!\/?(h2|h3|p|code|strong|em|ul|li|blockquote|table|thead|tbody|tr|th|td|details|summary)[ >])[^>]*>/ },
      { name: 'no image', pattern: /<img/i },
      { name: 'no link', pattern: /<a /i },
      { name: 'no javascript: URL in an attribute', pattern: /=\s*"?javascript:/i },
      { name: 'no mention or email', pattern: /@(everyone|balkan)/ },
      { name: 'no issue reference', pattern: /(^|[^\w])#\d/m },
      { name: 'no emphasis, strikethrough or code from the data', pattern: /<(em|del)>|<code>code<\/code>/ },
    ])('$name', ({ pattern }) => {
      expect(html).not.toMatch(pattern);
    });

    it('shows each hostile name as text', () => {
      for (const name of HOSTILE) {
        const shown = name.replace(/\n/g, '\\n').replace(/\u202E/g, '\\u202E');
        // As text a reader sees every character, the zero-width spaces aside.
        expect(text.replace(/\u200B/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')).toContain(shown);
      }
    });

    it('keeps every table intact', () => {
      const shapes = tableShapes(html);
      expect(shapes.map((rows) => rows.length)).toEqual([3, 11, 11]);
      for (const rows of shapes) expect(new Set(rows).size).toBe(1);
    });
  });

  it('renders a record history with hostile values as text, each table intact', () => {
    const html = toHtml(renderRecordHistory({
      resource: 'integrations',
      id: HOSTILE[0],
      entries: HOSTILE.map((name, i) => ({
        commit: String(i).repeat(40), date: '2026-01-01T00:00:00.000Z', event: 'changed' as const,
        changes: [{ field: 'Name', path: [name], op: 'changed' as const, before: name, after: 'Safe', volatile: false }],
      })),
    }, { name: HOSTILE[1], branch: 'main', file: 'snapshots/integrations.csv', read: 10, since: null, limit: null }));
    expect(html).not.toMatch(/<(?!\/?(h2|h3|p|code|table|thead|tbody|tr|th|td)[ >])[^>]*>/);
    expect(html).not.toMatch(/@everyone|<a |<img/i);
    expect(tableShapes(html)).toEqual(HOSTILE.map(() => [2, 2]));
  });

  it('renders a degraded 20,000-change body with its summary table', () => {
    const html = toHtml(renderMarkdown(largeChangeSet()));
    expect(tableShapes(html)[0]).toEqual([9, 9]);
    expect(html).toContain('19,805 of 20,000 changed records not shown; see report.html.');
  });
});
