import * as HandlebarsModule from 'handlebars';
import { formatCount, shortCommit } from './_format.js';
import { escapeControls } from './escape-controls.js';
import { markdownIdentifier, markdownText, terminalText } from './_markdown-text.js';
import { readTemplate, type TemplateName } from './_templates.js';
import type { MarkdownTarget } from './markdown.js';

type Render<T> = (view: T) => string;
/** `markdown` for GitHub; `terminal`: the same templates, for a terminal (see `terminalText`). */
export type TemplateFormat = 'markdown' | 'terminal' | 'text' | 'html';
type HandlebarsApi = typeof HandlebarsModule;

// handlebars is CommonJS typed with `export =`: from an ES module Node hands over its
// module.exports as the default export only (this workspace compiles without synthetic defaults).
const Handlebars = (HandlebarsModule as unknown as { default: HandlebarsApi }).default;

/**
 * A template compiled on first use, in an isolated handlebars environment with the helpers of its
 * format. `strict`: a name the view does not have is an error, not an empty string.
 */
export function lazyTemplate<T>(format: TemplateFormat, name: TemplateName, partials: Readonly<Record<string, TemplateName>> = {}): Render<T> {
  let compiled: Render<T> | undefined;
  return (view) => {
    compiled ??= compile<T>(format, name, partials);
    return compiled(view);
  };
}

/** A Markdown template for either target, each compiled on first use. */
export function markdownTemplate<T>(name: TemplateName, partials: Readonly<Record<string, TemplateName>> = {}): (view: T, target: MarkdownTarget) => string {
  const github = lazyTemplate<T>('markdown', name, partials);
  const terminal = lazyTemplate<T>('terminal', name, partials);
  return (view, target) => (target === 'terminal' ? terminal : github)(view);
}

function compile<T>(format: TemplateFormat, name: TemplateName, partials: Readonly<Record<string, TemplateName>>): Render<T> {
  const env = environment(format);
  for (const [partial, file] of Object.entries(partials)) env.registerPartial(partial, readTemplate(file));
  // Markdown and plain text are not HTML: their helpers escape, handlebars must not.
  const template = env.compile<T>(readTemplate(name), { strict: true, noEscape: format !== 'html' });
  return (view) => template(view);
}

function environment(format: TemplateFormat): HandlebarsApi {
  const env = Handlebars.create();
  env.registerHelper('count', (n: number) => formatCount(n));
  env.registerHelper('plural', (n: number) => (n === 1 ? '' : 's'));
  if (format === 'text') env.registerHelper('line', (text: unknown) => escapeControls(String(text)));
  // Returned as a plain string, so handlebars still escapes it for HTML.
  if (format === 'html') env.registerHelper('text', (text: unknown) => escapeControls(String(text)));
  if (format === 'markdown' || format === 'terminal') {
    const escape = format === 'markdown' ? markdownText : terminalText;
    env.registerHelper('md', (text: unknown) => escape(String(text)));
    env.registerHelper('id', (text: unknown) => markdownIdentifier(String(text), escape));
    env.registerHelper('join', (items: readonly string[]) => items.map((item) => escape(item)).join(', '));
    env.registerHelper('commit', (commit: string | null) => {
      const short = shortCommit(commit);
      return short ? `\`${short}\`` : commit === null ? 'not committed' : escape(commit);
    });
  }
  return env;
}
