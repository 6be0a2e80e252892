import { createHash } from 'node:crypto';
import type { AuditEvent, ChangeSet, ResourceChange } from '@balkan-audit/diff';
import { day, defaultTitle, eventsBySeverity, formatCount, SEVERITIES, shortCommit } from './_format.js';
import { lazyTemplate } from './_handlebars.js';
import { readTemplate } from './_templates.js';
import { CONTROL_PATTERN } from './escape-controls.js';

export interface HtmlOptions {
  /**
   * The page's title and headline, e.g. `integrations: old.csv → new.csv`.
   * @default `<tenant>: <from day> → <to day>`
   */
  readonly title?: string;
  /**
   * What the two ends are when they are not commits, shown in their place: `compare` names its
   * two files (`{ from: 'old.csv', to: 'new.csv' }`).
   */
  readonly sources?: { readonly from: string; readonly to: string };
}

interface HtmlView {
  readonly title: string;
  readonly csp: string;
  readonly style: string;
  readonly script: string;
  readonly data: string;
  readonly config: string;
  readonly generatedAt: string;
  readonly from: CommitView | null;
  readonly to: CommitView;
  readonly cards: readonly { readonly label: string; readonly value: number; readonly tone: string }[];
  readonly rows: readonly { readonly resource: string; readonly status: string; readonly rows: string; readonly cells: readonly string[]; readonly drift: string }[];
  /** Events of the run as a whole (a new redaction key). */
  readonly runEvents: readonly AuditEvent[];
}

interface CommitView {
  readonly commit: string | null;
  /** What the end is when it is not a commit (`options.sources`). */
  readonly label: string | null;
  readonly full: string;
  readonly date: string;
  readonly day: string;
}

const template = lazyTemplate<HtmlView>('html', 'report.html.hbs', { commit: 'report-commit.hbs' });

/**
 * The change set as one self-contained HTML page for a reviewer: summary cards and a table of the
 * resources, then per resource its events and every added, removed and changed record (before and
 * after, words that changed marked), filters by resource, severity and change, and a search by ID
 * or name. The change set is embedded as JSON and drawn by the page's one inline script with
 * `textContent` only, rows rendered as they scroll into view. It makes no request of any kind: a
 * Content-Security-Policy allows nothing but its own inline script and style (by hash).
 *
 * @example
 * await writeFile('report.html', renderHtml(changeSet));
 */
export function renderHtml(changeSet: ChangeSet, options: HtmlOptions = {}): string {
  const style = readTemplate('page.css');
  const script = `(() => {\n'use strict';\n${readTemplate('page-render.js')}\n${readTemplate('page.js')}})();\n`;
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(style)}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const bySeverity = eventsBySeverity([...changeSet.events, ...changeSet.resources.flatMap((r) => r.events)]);
  return template({
    title: options.title ?? defaultTitle(changeSet),
    csp,
    style,
    script,
    data: scriptJson(changeSet),
    config: scriptJson({ controls: CONTROL_PATTERN }),
    generatedAt: changeSet.generatedAt,
    from: changeSet.from ? commitView(changeSet.from, options.sources?.from) : null,
    to: commitView(changeSet.to, options.sources?.to),
    cards: [
      { label: 'added', value: changeSet.summary.added, tone: 'added' },
      { label: 'removed', value: changeSet.summary.removed, tone: 'removed' },
      { label: 'changed', value: changeSet.summary.changed, tone: 'changed' },
      ...SEVERITIES.map((s) => ({ label: `${s} events`, value: bySeverity[s].length, tone: s })),
      { label: 'failed resources', value: changeSet.resources.filter((r) => r.status === 'failed').length, tone: 'failed' },
    ],
    rows: changeSet.resources.map(overviewRow),
    runEvents: changeSet.events,
  });
}

function commitView(end: { commit: string | null; date: string }, label?: string): CommitView {
  return { commit: shortCommit(end.commit), label: label ?? null, full: end.commit ?? '', date: end.date, day: day(end.date) };
}

function overviewRow(change: ResourceChange): HtmlView['rows'][number] {
  const { counts, schemaChanges } = change;
  const bySeverity = eventsBySeverity(change.events);
  const compared = change.status === 'compared';
  return {
    resource: change.resource,
    status: change.status,
    rows: compared && counts.before !== counts.after ? `${formatCount(counts.before)} → ${formatCount(counts.after)}` : formatCount(counts.after),
    cells: [
      ...[counts.added, counts.removed, counts.changed].map((n) => (compared ? formatCount(n) : '—')),
      ...SEVERITIES.map((s) => formatCount(bySeverity[s].length)),
    ],
    drift: [...schemaChanges.addedColumns.map((c) => `+${c}`), ...schemaChanges.removedColumns.map((c) => `−${c}`)].join(', ') || '—',
  };
}

/**
 * JSON that can stand inside `<script type="application/json">`: `<` as `\u003c` so no `</script>`
 * or `<!--` in the data can end or change the element; U+2028/2029 escaped for older parsers.
 */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
