export { createExportClient } from './client.js';
export { dispatcherFromEnv } from './dispatcher.js';
export { resolveExportClientOptions } from './options.js';
export { DOCUMENTED_EXPORTS, resolveExport } from './resources.js';
export { ExportError, isExportError } from './errors.js';
export type { ProxyEnv } from './dispatcher.js';
export type { ExportErrorCode, ExportErrorOptions } from './errors.js';
export type {
  ExportClient,
  ExportClientOptions,
  ExportClientOptionsResolved,
  ExportedContent,
  ExportOptions,
  ExportProgress,
  ExportRequestOptions,
  ExportResult,
  ExportSpec,
  ExportSummary,
  ExportToMemoryOptions,
  KnownExport,
} from './types.js';
