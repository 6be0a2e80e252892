import { readFileSync } from 'node:fs';

/** The files of `src/templates/`. */
export type TemplateName = 'markdown.hbs' | 'markdown-record-table.hbs' | 'commit-message.hbs' | 'report.html.hbs' | 'report-commit.hbs' | 'page.css' | 'page-render.js' | 'page.js'
  | 'history.hbs' | 'history-nights.hbs';

/**
 * The text of one file of `src/templates/`, read beside this module (tests run from `src`).
 * `pnpm build` replaces this module in `dist` by one with every template embedded
 * (`scripts/embed-templates.mjs`), so the compiled package, and a bundle made of it, read no file.
 */
export function readTemplate(name: TemplateName): string {
  return readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8');
}
