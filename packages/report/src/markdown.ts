import type { ChangeSet } from '@balkan-audit/diff';
import { defaultTitle, tidy } from './_format.js';
import { markdownTemplate } from './_handlebars.js';
import { markdownText, terminalText } from './_markdown-text.js';
import { DETAIL_LEVELS, markdownView, type DetailLevel, type MarkdownView } from './_markdown-view.js';

/** Where Markdown is read: on GitHub (a pull request, a job summary, a file), or in a terminal. */
export type MarkdownTarget = 'github' | 'terminal';

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
  /**
   * What the two ends are when they are not commits, shown in their place: `compare` names its
   * two files (`{ from: 'old.csv', to: 'new.csv' }`).
   */
  readonly sources?: { readonly from: string; readonly to: string };
  /**
   * Where it is read. `github`: record data is made inert for GitHub (no mention, issue reference,
   * autolink or HTML: `@&#8203;`, `&lt;`, backslashes). `terminal`: only control characters and
   * cell breaks are escaped, so a value reads and copies as it is; never for GitHub.
   * @default 'github'
   */
  readonly target?: MarkdownTarget;
}

export interface MarkdownOptionsResolved {
  readonly title: string;
  /** `htmlReport` as inert Markdown: a link or escaped text. */
  readonly pointer: string;
  readonly maxLength: number;
  readonly sources: { readonly from: string; readonly to: string } | null;
  readonly target: MarkdownTarget;
}

/** Fills the defaults of `MarkdownOptions` for one change set. */
export function resolveMarkdownOptions(changeSet: ChangeSet, options: MarkdownOptions = {}): MarkdownOptionsResolved {
  const report = options.htmlReport ?? 'report.html';
  const link = /^https:\/\/[^\s()<>]+$/.test(report) ? report : null;
  const target = options.target ?? 'github';
  return {
    title: options.title ?? defaultTitle(changeSet),
    pointer: link ? `[the HTML report](${link})` : (target === 'github' ? markdownText : terminalText)(report),
    maxLength: options.maxLength ?? 60_000,
    sources: options.sources ?? null,
    target,
  };
}

const template = markdownTemplate<MarkdownView>('markdown.hbs', { recordTable: 'markdown-record-table.hbs' });

/**
 * The change set as a GitHub pull-request body: a headline (tenant, nights, commits), a warning
 * callout for high-severity events, a summary table per resource, then per resource its events by
 * severity and its added, removed and changed records (low events and volatile-only changes
 * folded in `<details>`). Record data is escaped into inert text.
 *
 * When the body would exceed `maxLength` it leaves out, step by step, low-severity details, then as
 * many medium records and events as it must, then medium, then as many high ones as it must, then
 * every list (counts only), then every section (the summary table alone), and says what it left
 * out and where the HTML report is. Tables are never cut: they only list fewer rows.
 *
 * @example
 * await octokit.rest.issues.createComment({ ...repo, issue_number, body: renderMarkdown(changeSet, { htmlReport: url }) });
 */
export function renderMarkdown(changeSet: ChangeSet, options: MarkdownOptions = {}): string {
  const resolved = resolveMarkdownOptions(changeSet, options);
  const view = (level: DetailLevel, cap?: number) => markdownView(changeSet, level, resolved, cap);
  const render = (level: DetailLevel, cap?: number) => tidy(template(view(level, cap), resolved.target));
  let text = '';
  for (const level of DETAIL_LEVELS) {
    const whole = view(level);
    // Laying out a level that cannot fit costs seconds on a large change set: count its lines first.
    if (minimumLength(whole) <= resolved.maxLength) {
      text = tidy(template(whole, resolved.target));
      if (text.length <= resolved.maxLength) return text;
    }
    // Low details are left out whole first; after that, before giving up a level's details
    // altogether, list as many of its records and events as fit.
    const fitted = level === 'no-low' || level === 'high-only' ? largestFit((cap) => render(level, cap), resolved.maxLength) : null;
    if (fitted !== null) return fitted;
  }
  return text;
}

/**
 * The rendering with the largest per-table cap that fits in `maxLength`, or null when not even one
 * record per table fits. The cap doubles until the text is too long, then a binary search between
 * the last two: every rendering tried is at most about twice the final one, so a 20,000-change set
 * costs a few small renderings, not many large ones.
 */
function largestFit(render: (cap: number) => string, maxLength: number): string | null {
  let best = render(1);
  if (best.length > maxLength) return null;
  let low = 1;
  let high = 2;
  for (;;) {
    const text = render(high);
    if (text.length > maxLength) break;
    if (text === best) return best; // nothing more to list
    best = text;
    low = high;
    high *= 2;
  }
  while (low + 1 < high) {
    const mid = Math.floor((low + high) / 2);
    const text = render(mid);
    if (text.length <= maxLength) {
      low = mid;
      best = text;
    } else {
      high = mid;
    }
  }
  return best;
}

/** Fewer characters than the view can take: every listed line is at least a few. */
function minimumLength(view: MarkdownView): number {
  const lines = view.sections.reduce((sum, section) => sum + section.lowEvents.length
    + section.eventGroups.reduce((n, group) => n + group.events.length, 0)
    + section.tables.reduce((n, table) => n + table.rows.length, 0) + (section.volatileOnly?.rows.length ?? 0), 0);
  return lines * 6;
}

