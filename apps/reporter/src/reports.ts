import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChangeSet } from '@balkan-audit/diff';
import { renderHtml, renderMarkdown, type MarkdownTarget } from '@balkan-audit/report';
import type { SnapshotStore } from '@balkan-audit/store';
import { CliError } from './_errors.js';

/** The report formats, in the order their files are written and listed. */
export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const FILE: Readonly<Record<ReportFormat, string>> = { md: 'report.md', html: 'report.html', json: 'report.json' };

/** `--format md,html` as formats, refusing anything else with CLI_INVALID_OPTION. */
export function parseFormats(values: readonly string[]): ReportFormat[] {
  const unknown = values.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    throw new CliError('CLI_INVALID_OPTION', `--format ${unknown.join(',')} is not a report format`, { hint: `use any of ${REPORT_FORMATS.join(', ')}, comma-separated` });
  }
  return REPORT_FORMATS.filter((f) => values.includes(f));
}

/**
 * `--format` for a command that prints one report to stdout unless `--out DIR` is given: without
 * `--out`, more than one format is refused (they would run together on stdout).
 */
export function formatsFor(values: readonly string[] | undefined, out: string | undefined, withOut: readonly string[] = REPORT_FORMATS): ReportFormat[] {
  const formats = parseFormats(values ?? (out === undefined ? ['md'] : withOut));
  if (out === undefined && formats.length > 1) {
    throw new CliError('CLI_INVALID_OPTION', `--format ${formats.join(',')}: only one report goes to stdout`, { hint: 'add --out DIR to write several' });
  }
  return formats;
}

export interface RenderOptions {
  /** The reports' title (`compare` names its two files). @default the change set's tenant and dates */
  readonly title?: string;
  /** Where the Markdown points for what it leaves out. @default 'report.html' */
  readonly htmlReport?: string;
  /** What the two ends are when they are not commits (`compare`'s two files). */
  readonly sources?: { readonly from: string; readonly to: string };
  /** Where the Markdown is read: `stdoutTarget` for Markdown printed to stdout. @default 'github' */
  readonly target?: MarkdownTarget;
}

/** Where Markdown printed to stdout is read: in the terminal, or (piped, redirected) perhaps on GitHub. */
export function stdoutTarget(io: { readonly terminal: boolean }): MarkdownTarget {
  return io.terminal ? 'terminal' : 'github';
}

/** The reports in `formats`, each as it is written to its file. */
export function renderReports(changeSet: ChangeSet, formats: readonly ReportFormat[], options: RenderOptions = {}): Map<ReportFormat, string> {
  return new Map(formats.map((format) => [format, renderReport(changeSet, format, options)] as const));
}

function renderReport(changeSet: ChangeSet, format: ReportFormat, options: RenderOptions): string {
  switch (format) {
    case 'md': return renderMarkdown(changeSet, { title: options.title, htmlReport: options.htmlReport ?? FILE.html, sources: options.sources, target: options.target });
    case 'html': return renderHtml(changeSet, { title: options.title, sources: options.sources });
    case 'json': return `${JSON.stringify(changeSet, null, 2)}\n`;
  }
}

/**
 * Writes each report into `out` atomically (temp + rename, so a reader never sees half a file), or,
 * without `out`, into the store's last-run directory. Returns the paths written.
 */
export async function writeReports(reports: ReadonlyMap<ReportFormat, string>, target: { out: string | null; store: SnapshotStore | null }): Promise<string[]> {
  const files = new Map([...reports].map(([format, content]) => [FILE[format], content] as const));
  if (target.out === null) {
    if (target.store === null) throw new Error('writeReports needs a directory or a store');
    return target.store.saveLastRun(files);
  }
  await mkdir(target.out, { recursive: true });
  const written: string[] = [];
  for (const [name, content] of files) {
    const file = join(target.out, name);
    await writeFile(`${file}.${process.pid}.tmp`, content);
    await rename(`${file}.${process.pid}.tmp`, file);
    written.push(file);
  }
  return written;
}

/**
 * GitHub Actions shows `$GITHUB_STEP_SUMMARY` on the run's page: the Markdown report is appended to
 * it when the variable is set. Returns whether it was. `reports` must be rendered for GitHub (the
 * default target); its Markdown is rendered here when it has none.
 */
export async function appendStepSummary(env: Readonly<Record<string, string | undefined>>, changeSet: ChangeSet, reports: ReadonlyMap<ReportFormat, string>): Promise<boolean> {
  const file = env['GITHUB_STEP_SUMMARY'];
  if (file === undefined || file === '') return false;
  // Rendered only here when the run did not ask for Markdown: ~0.5 s for a 20,000-change set.
  await appendFile(file, `${reports.get('md') ?? renderReport(changeSet, 'md', {})}\n`);
  return true;
}
