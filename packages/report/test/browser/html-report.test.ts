/// <reference lib="dom" />
// The callbacks passed to page.evaluate / waitForFunction run in the browser.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/index.js';
import { hostileChangeSet, largeChangeSet, sandboxChangeSet } from '../../src/_test-change-sets.js';
import { chromiumMissing, startBrowser, type OpenedPage, type TestBrowser } from './_browser.js';

const OUTPUT = new URL('../../test-output/', import.meta.url);

/** Rows drawn in the sections the filters leave visible. */
async function visibleRows(opened: OpenedPage): Promise<number> {
  return opened.page.locator('#resources > section:not([hidden]) tr.record').count();
}

/** The filter status: records and events that match. */
async function matches(opened: OpenedPage): Promise<{ records: number; events: number }> {
  const status = opened.page.locator('#filter-status');
  return { records: Number(await status.getAttribute('data-records')), events: Number(await status.getAttribute('data-events')) };
}

describe.skipIf(chromiumMissing && !process.env.CI)('the HTML report in Chromium', { timeout: 60_000 }, () => {
  let browser: TestBrowser;
  beforeAll(async () => {
    browser = await startBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  describe("the sandbox's night 1 → night 2", () => {
    let opened: OpenedPage;
    beforeAll(async () => {
      opened = await browser.open(renderHtml(await sandboxChangeSet()), 'sandbox.html');
    });

    it('loads with no console error and requests nothing but itself', async () => {
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([opened.url]);
      mkdirSync(OUTPUT, { recursive: true });
      await opened.page.screenshot({ path: new URL('report.png', OUTPUT).pathname, fullPage: true });
    });

    it('draws every record and event', async () => {
      expect(await matches(opened)).toEqual({ records: 13, events: 12 });
      expect(await visibleRows(opened)).toBe(13);
      expect(await opened.page.locator('#resources h2').allInnerTexts()).toEqual(['campaigns compared', 'apps compared', 'entity-rules compared', 'integrations compared', 'labels compared']);
    });

    it('reads, for a reviewer, as the section of a resource', async () => {
      expect(await opened.page.locator('#resource-0').innerText()).toMatchInlineSnapshot(`
        "campaigns compared

        5 → 6 rows · 1 added, 0 removed, 2 changed, 3 unchanged

        Events

        Showing 2 of 2 events

        Events
        Severity	Kind	Record	Summary
        medium	campaign.status_changed	01HA02R3KH676CD9XHZAY8SCDZ	Campaign Test campaign: status pending → completed
        medium	campaign.added	01HQAB4C5D6E7F8G9H0J1K2M3N	Campaign Contractor access sweep added
        Records

        Showing 3 of 3 records

        Records
        Change	ID	Name	Severity	Details
        added	01HQAB4C5D6E7F8G9H0J1K2M3N	Contractor access sweep	medium	
        Column	Value
        ID	01HQAB4C5D6E7F8G9H0J1K2M3N
        Name	Contractor access sweep
        Description	Monthly sweep of contractor accounts
        Status	pending
        Start Date	2026-01-15
        End Date	2026-01-29
        Percentage Completed	0
        Is Published	false
        Recurrence	RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=+3MO
        Escalation	48h
        Escalation Date	2026-01-22

        changed	01HA02R3KH676CD9XHZAY8SCDZ		medium	
        Field	Before	After
        Status	pending	completed
        Percentage Completed volatile	35.24	100

        changed	01HQ8ZK3V4M6N8P0R2S4T6V8XA		—	
        Field	Before	After
        Percentage Completed volatile	12.5	57.75"
      `);
    });

    it('shows a changed record before and after, words that changed marked', async () => {
      const row = opened.page.locator('#resource-3 tr.record', { hasText: 'maria.garcia' });
      expect(await row.innerText()).toMatchInlineSnapshot(`
        "changed	8		medium	
        Field	Before	After
        Primary Owner	maria.garcia@balkan.id	tom.wilson@balkan.id"
      `);
      expect(await row.locator('del').allInnerTexts()).toEqual(['maria', 'garcia']);
      expect(await row.locator('ins').allInnerTexts()).toEqual(['tom', 'wilson']);
    });

    it.each([
      { name: 'one resource', act: (o: OpenedPage) => o.page.selectOption('#filter-resource', { label: 'integrations' }), records: 6, events: 6 },
      { name: 'high severity only', act: (o: OpenedPage) => uncheck(o, 'severity', ['medium', 'low', 'none']), records: 2, events: 2 },
      { name: 'records without events left out', act: (o: OpenedPage) => uncheck(o, 'severity', ['none']), records: 11, events: 12 },
      { name: 'added records only', act: (o: OpenedPage) => uncheck(o, 'kind', ['removed', 'changed']), records: 2, events: 12 },
      { name: 'a search by name', act: (o: OpenedPage) => o.page.fill('#filter-search', 'jira'), records: 1, events: 1 },
      { name: 'a search by ID', act: (o: OpenedPage) => o.page.fill('#filter-search', '13323524'), records: 1, events: 1 },
      { name: 'a removed record by name', act: (o: OpenedPage) => o.page.fill('#filter-search', 'Zoom'), records: 1, events: 1 },
    ])('filters: $name', async ({ act, records, events }) => {
      await opened.page.reload();
      await opened.page.waitForSelector('html[data-ready="true"]');
      await act(opened);
      await opened.page.waitForFunction((n) => document.querySelector('#filter-status')?.getAttribute('data-records') === String(n), records);
      expect(await matches(opened)).toEqual({ records, events });
      expect(await visibleRows(opened)).toBe(records);
    });

    it('follows the colour scheme and prints without its controls', async () => {
      const background = (): Promise<string> => opened.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await opened.page.emulateMedia({ colorScheme: 'dark' });
      const dark = await background();
      await opened.page.emulateMedia({ colorScheme: 'light' });
      expect(await background()).toBe('rgb(255, 255, 255)');
      expect(dark).toBe('rgb(13, 17, 23)');
      await opened.page.emulateMedia({ media: 'print' });
      expect(await opened.page.locator('#filters').isVisible()).toBe(false);
      await opened.page.emulateMedia({ media: 'screen' });
    });
  });

  it('never runs a script that comes with the data', async () => {
    const opened = await browser.open(renderHtml(hostileChangeSet()), 'hostile.html');
    expect(opened.dialogs).toEqual([]);
    expect(opened.errors).toEqual([]);
    expect(await opened.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await opened.page.locator('img, iframe, object, embed, a[href^="javascript"]').count()).toBe(0);
    expect(await opened.page.locator('script').count()).toBe(3);
    expect(await visibleRows(opened)).toBe(20);
    const ids = await opened.page.locator('#resource-0 tr.record[data-kind="added"] > th code').allInnerTexts();
    expect(ids).toEqual([
      '<img src=x onerror=alert(1)>', '@everyone', '[x](javascript:alert(1))', '#1', 'pipe | in name', 'line\\nbreak', 'evil\\u202Etxt.exe',
      '</script><script>window.pwned=1</script>', '`code` *bold* _em_ ~~del~~ $x$', 'https://evil.example/phish www.evil.example',
    ]);
  });

  describe('20,000 changed records on a 1,000,000-row resource', () => {
    let opened: OpenedPage;
    let wall = 0;
    beforeAll(async () => {
      const html = renderHtml(largeChangeSet());
      const start = performance.now();
      opened = await browser.open(html, 'large.html');
      wall = performance.now() - start;
    }, 60_000);

    it('shows its first rows within 3 s of opening', async () => {
      const firstRows = await opened.page.evaluate(() => performance.getEntriesByName('balkan-audit:first-rows')[0]!.startTime);
      console.log(`20,000-change page: first rows ${Math.round(firstRows)} ms after navigation start, ${Math.round(wall)} ms wall clock`);
      expect(firstRows).toBeLessThan(3000);
      expect(await opened.page.locator('tr.record').first().isVisible()).toBe(true);
      expect(opened.errors).toEqual([]);
    });

    it('draws rows a page at a time as they scroll into view', async () => {
      expect(await matches(opened)).toEqual({ records: 20_000, events: 2_401 });
      expect(await visibleRows(opened)).toBe(100);
      await opened.page.locator('#resource-0 table.records + button.more').scrollIntoViewIfNeeded();
      await opened.page.waitForFunction(() => document.querySelectorAll('#resource-0 tr.record').length >= 200);
      expect(await visibleRows(opened)).toBeGreaterThanOrEqual(200);
      expect(await visibleRows(opened)).toBeLessThan(20_000);
    });

    it('filters and searches all of them', async () => {
      await uncheck(opened, 'severity', ['high', 'low', 'none']);
      await opened.page.waitForFunction(() => document.querySelector('#filter-status')?.getAttribute('data-records') === '399');
      expect(await visibleRows(opened)).toBe(100);
      await opened.page.reload();
      await opened.page.waitForSelector('html[data-ready="true"]');
      await opened.page.fill('#filter-search', '100037');
      await opened.page.waitForFunction(() => document.querySelector('#filter-status')?.getAttribute('data-records') === '1');
      expect(await opened.page.locator('tr.record > th code').allInnerTexts()).toEqual(['100037']);
    });
  });
});

async function uncheck(opened: OpenedPage, name: 'severity' | 'kind', values: readonly string[]): Promise<void> {
  for (const value of values) await opened.page.uncheck(`input[name="${name}"][value="${value}"]`);
}
