export { renderMarkdown } from './markdown.js';
export type { MarkdownOptions } from './markdown.js';
export { renderHtml } from './html.js';
export type { HtmlOptions } from './html.js';
export { renderCommitMessage } from './commit-message.js';
export type { CommitMessageOptions } from './commit-message.js';
export { escapeControls } from './escape-controls.js';
export type { EscapeControlsOptions } from './escape-controls.js';
