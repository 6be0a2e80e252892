import type { ChangeSet } from '@balkan-audit/diff';
import { defaultTitle, tidy } from './_format.js';
import { lazyTemplate } from './_handlebars.js';
import { markdownText } from './_markdown-text.js';
import { DETAIL_LEVELS, markdownView, type MarkdownView } from './_markdown-view.js';

export interface MarkdownOptions {
  /**
   * The headline, e.g. `integrations: old.csv → new.csv` for a comparison of two files.
   * @default `<tenant>: <from day> → <to day>`
   */
  readonly title?: string;
  /**
   * The full HTML report, named wherever the Markdown leaves something out: an `https:` URL
   * (linked) or a file name (shown as text).
   * @default 'report.html'
   */
  readonly htmlReport?: string;
  /**
   * The longest body to return. GitHub refuses pull-request bodies and comments over 65,536
   * characters; the default leaves room for a caller's own lines.
   * @default 60000
   */
  readonly maxLength?: number;
}

export interface MarkdownOptionsResolved {
  readonly title: string;
  /** `htmlReport` as inert Markdown: a link or escaped text. */
  readonly pointer: string;
  readonly maxLength: number;
}

/** Fills the defaults of `MarkdownOptions` for one change set. */
export function resolveMarkdownOptions(changeSet: ChangeSet, options: MarkdownOptions = {}): MarkdownOptionsResolved {
  const report = options.htmlReport ?? 'report.html';
  const link = /^https:\/\/[^\s()<>]+$/.test(report) ? report : null;
  return {
    title: options.title ?? defaultTitle(changeSet),
    pointer: link ? `[the HTML report](${link})` : markdownText(report),
    maxLength: options.maxLength ?? 60_000,
  };
}

const template = lazyTemplate<MarkdownView>('markdown', 'markdown.hbs', { recordTable: 'markdown-record-table.hbs' });

/**
 * The change set as a GitHub pull-request body: a headline (tenant, nights, commits), a warning
 * callout for high-severity events, a summary table per resource, then per resource its events by
 * severity and its added, removed and changed records (low events and volatile-only changes
 * folded in `<details>`). Record data is escaped into inert text.
 *
 * When the body would exceed `maxLength` it leaves out, step by step, low-severity details, then
 * medium, then every list (counts only), then every section (the summary table alone), and says
 * what it left out and where the HTML report is. Tables are never cut.
 *
 * @example
 * await octokit.rest.issues.createComment({ ...repo, issue_number, body: renderMarkdown(changeSet, { htmlReport: url }) });
 */
export function renderMarkdown(changeSet: ChangeSet, options: MarkdownOptions = {}): string {
  const resolved = resolveMarkdownOptions(changeSet, options);
  let text = '';
  for (const level of DETAIL_LEVELS) {
    text = tidy(template(markdownView(changeSet, level, resolved.title, resolved.pointer)));
    if (text.length <= resolved.maxLength) return text;
  }
  return text;
}
