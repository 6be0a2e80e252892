import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`, done by .ci/run); Playwright's own builds cannot be downloaded here. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface OpenedPage {
  readonly page: Page;
  /** Console errors and uncaught exceptions, in order. */
  readonly errors: string[];
  /** Every URL the page requested. */
  readonly requests: string[];
  /** Every dialog (alert, confirm, prompt) the page opened. */
  readonly dialogs: string[];
  /** The file:// URL of the page. */
  readonly url: string;
}

export interface TestBrowser {
  /** Writes `html` to a temp file, opens it as a reviewer would (file://) and waits for its first rows. */
  open(html: string, name: string): Promise<OpenedPage>;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile in a temp dir (removed on close) and a temp dir for pages. */
export async function startBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'balkan-audit-chromium-'));
  const pages = mkdtempSync(join(tmpdir(), 'balkan-audit-pages-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 },
  });
  return {
    async open(html, name) {
      const file = join(pages, name);
      writeFileSync(file, html);
      const page = await context.newPage();
      const opened: OpenedPage = { page, errors: [], requests: [], dialogs: [], url: pathToFileURL(file).href };
      page.on('console', (message) => {
        if (message.type() === 'error') opened.errors.push(message.text());
      });
      page.on('pageerror', (error) => opened.errors.push(error.message));
      page.on('request', (request) => opened.requests.push(request.url()));
      page.on('dialog', (dialog) => {
        opened.dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(opened.url);
      await page.waitForSelector('html[data-ready="true"]');
      return opened;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      rmSync(pages, { recursive: true, force: true });
    },
  };
}
