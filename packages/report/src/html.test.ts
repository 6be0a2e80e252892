import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.js';
import { changeSetOf, hostileChangeSet, largeChangeSet, resourceChange, sandboxChangeSet } from './_test-change-sets.js';

const ELEMENT = /<(script|style)([^>]*)>([\s\S]*?)<\/\1>/g;

/** The page without the page's own script and style (and their hashes), and the data's size only. */
function shell(html: string): string {
  return html
    .replace(ELEMENT, (_, tag: string, attributes: string, body: string) =>
      `<${tag}${attributes}>${attributes.includes('json') ? `[${body.length} characters of JSON]` : '…'}</${tag}>`)
    .replace(/'sha256-[^']+'/g, "'sha256-…'");
}

function inline(html: string, tag: 'script' | 'style'): string[] {
  return [...html.matchAll(ELEMENT)].filter(([, t, attributes]) => t === tag && !attributes!.includes('application/json')).map(([, , , body]) => body!);
}

function embedded(html: string, id: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${id}">([\\s\\S]*?)</script>`).exec(html);
  return JSON.parse(match![1]!);
}

describe('renderHtml', () => {
  it("lays out the sandbox's night 1 → night 2", async () => {
    expect(shell(renderHtml(await sandboxChangeSet()))).toMatchInlineSnapshot(`
      "<!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-…'; style-src 'sha256-…'; base-uri 'none'; form-action 'none'">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta name="color-scheme" content="light dark">
      <meta name="referrer" content="no-referrer">
      <title>sandbox: 2026-01-14 → 2026-01-15</title>
      <style>…</style>
      </head>
      <body>
      <header>
      <h1>sandbox: 2026-01-14 → 2026-01-15</h1>
      <p class="range">
      <span>From <code title="3f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a">3f1c2a9b8d7e</code> (<time datetime="2026-01-14T02:00:00.000Z">2026-01-14</time>)</span> <span aria-hidden="true">→</span> <span>to <code title="9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b">9a8b7c6d5e4f</code> (<time datetime="2026-01-15T02:00:00.000Z">2026-01-15</time>)</span>
      <span class="generated">generated <time datetime="2026-01-15T02:03:04.000Z">2026-01-15T02:03:04.000Z</time></span>
      </p>
      </header>
      <main>
      <section aria-labelledby="summary-title">
      <h2 id="summary-title">Summary</h2>
      <ul class="cards">
      <li class="card added"><span class="value">2</span> <span class="label">added</span></li>
      <li class="card removed"><span class="value">1</span> <span class="label">removed</span></li>
      <li class="card changed"><span class="value">10</span> <span class="label">changed</span></li>
      <li class="card high"><span class="value">2</span> <span class="label">high events</span></li>
      <li class="card medium"><span class="value">8</span> <span class="label">medium events</span></li>
      <li class="card low"><span class="value">2</span> <span class="label">low events</span></li>
      <li class="card failed"><span class="value">0</span> <span class="label">failed resources</span></li>
      </ul>
      <table class="overview">
      <caption>Resources</caption>
      <thead><tr><th scope="col">Resource</th><th scope="col">Status</th><th scope="col">Rows</th><th scope="col">Added</th><th scope="col">Removed</th><th scope="col">Changed</th><th scope="col">High</th><th scope="col">Medium</th><th scope="col">Low</th><th scope="col">Schema drift</th></tr></thead>
      <tbody>
      <tr class="status-compared"><th scope="row"><a href="#resource-0">campaigns</a></th><td>compared</td><td>5 → 6</td><td>1</td><td>0</td><td>2</td><td>0</td><td>2</td><td>0</td><td>—</td></tr>
      <tr class="status-compared"><th scope="row"><a href="#resource-1">apps</a></th><td>compared</td><td>5 → 4</td><td>0</td><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td><td>—</td></tr>
      <tr class="status-compared"><th scope="row"><a href="#resource-2">entity-rules</a></th><td>compared</td><td>3</td><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td><td>0</td><td>—</td></tr>
      <tr class="status-compared"><th scope="row"><a href="#resource-3">integrations</a></th><td>compared</td><td>9 → 10</td><td>1</td><td>0</td><td>5</td><td>2</td><td>4</td><td>0</td><td>+Region</td></tr>
      <tr class="status-compared"><th scope="row"><a href="#resource-4">labels</a></th><td>compared</td><td>5</td><td>0</td><td>0</td><td>2</td><td>0</td><td>0</td><td>2</td><td>—</td></tr>
      </tbody>
      </table>
      </section>
      <form id="filters" class="filters" role="search" aria-label="Filter changes">
      <label>Resource <select id="filter-resource" name="resource"><option value="">All resources</option><option value="0">campaigns</option><option value="1">apps</option><option value="2">entity-rules</option><option value="3">integrations</option><option value="4">labels</option></select></label>
      <fieldset><legend>Severity</legend>
      <label><input type="checkbox" name="severity" value="high" checked> High</label>
      <label><input type="checkbox" name="severity" value="medium" checked> Medium</label>
      <label><input type="checkbox" name="severity" value="low" checked> Low</label>
      <label><input type="checkbox" name="severity" value="none" checked> No event</label>
      </fieldset>
      <fieldset><legend>Change</legend>
      <label><input type="checkbox" name="kind" value="added" checked> Added</label>
      <label><input type="checkbox" name="kind" value="removed" checked> Removed</label>
      <label><input type="checkbox" name="kind" value="changed" checked> Changed</label>
      </fieldset>
      <label>Search <input type="search" id="filter-search" name="search" placeholder="ID or name" autocomplete="off"></label>
      <output id="filter-status" for="filter-resource filter-search" aria-live="polite"></output>
      </form>
      <noscript><p>The per-resource tables are drawn by the page's script; the summary above is complete without it.</p></noscript>
      <div id="resources"></div>
      </main>
      <script type="application/json" id="change-set">[6487 characters of JSON]</script>
      <script type="application/json" id="page-config">[130 characters of JSON]</script>
      <script>…</script>
      </body>
      </html>
      "
    `);
  });

  it('lists the run\'s own events, escaped, and counts them in the cards', () => {
    const page = renderHtml(changeSetOf([resourceChange('apps')], {
      events: [{ severity: 'medium', kind: 'redaction.rekeyed', id: null, summary: 'Redaction key changed <b>from</b> a to b' }],
    }));
    expect(page).toContain('<h3 id="run-events-title">This run</h3>');
    expect(page).toContain('Redaction key changed &lt;b&gt;from&lt;/b&gt; a to b <code>redaction.rekeyed</code>');
    expect(page).toMatch(/<li class="card medium"><span class="value">1<\/span>/);
  });

  it('embeds the change set whole, as JSON', async () => {
    const changeSet = await sandboxChangeSet();
    expect(embedded(renderHtml(changeSet), 'change-set')).toEqual(changeSet);
  });

  it('allows only its own inline script and style, by hash, and nothing else', async () => {
    const html = renderHtml(await sandboxChangeSet());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
    const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const [script] = inline(html, 'script');
    const [style] = inline(html, 'style');
    expect(inline(html, 'script')).toHaveLength(1);
    expect(csp.split('; ')).toEqual([
      "default-src 'none'", `script-src ${hash(script!)}`, `style-src ${hash(style!)}`, "base-uri 'none'", "form-action 'none'",
    ]);
  });

  it('refers to nothing outside the page', async () => {
    const html = renderHtml(await sandboxChangeSet());
    expect(html).not.toMatch(/\s(src|href|action|srcset|poster)="(?!#)|url\(|@import|https?:\/\/(?!balkan-sandbox)/i);
  });

  it('keeps data that looks like markup inside its JSON element', () => {
    const html = renderHtml(hostileChangeSet());
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).not.toMatch(/<img|<b>col/);
    expect(html).toContain('\\u003c/script>\\u003cscript>window.pwned=1\\u003c/script>');
    expect(embedded(html, 'change-set')).toEqual(hostileChangeSet());
    expect(html).toContain('<td>+&lt;b&gt;col&lt;/b&gt;</td>');
  });

  it('escapes line and paragraph separators in the JSON', () => {
    const changeSet = { ...hostileChangeSet(), tenant: 'a\u2028b\u2029c' };
    const html = renderHtml(changeSet, { title: 'x' });
    expect(html).not.toMatch(/[\u2028\u2029]/);
    expect(embedded(html, 'change-set')).toEqual(changeSet);
  });

  it('shows control and bidi characters of the title as escapes', () => {
    expect(renderHtml(hostileChangeSet(), { title: 'integrations: old\u202E.csv → <new>.csv' })).toContain('<h1>integrations: old\\u202E.csv → &lt;new&gt;.csv</h1>');
  });

  it('holds every change of a 20,000-change set', () => {
    const changeSet = largeChangeSet();
    const html = renderHtml(changeSet);
    expect((embedded(html, 'change-set') as typeof changeSet).resources[0]!.changed).toHaveLength(20_000);
  });
});
