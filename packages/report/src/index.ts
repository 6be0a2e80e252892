export { renderMarkdown, resolveMarkdownOptions } from './markdown.js';
export type { MarkdownOptions, MarkdownOptionsResolved } from './markdown.js';
export { escapeControls } from './escape-controls.js';
export type { EscapeControlsOptions } from './escape-controls.js';
export { renderCommitMessage } from './commit-message.js';
export type { CommitMessageOptions } from './commit-message.js';
export { renderHtml } from './html.js';
export type { HtmlOptions } from './html.js';
