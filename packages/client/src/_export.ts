import { Redactor, throwIfAborted, type ExportContext } from './_context.js';
import { downloadToFile, downloadToMemory, type Downloaded } from './_download.js';
import { waitUntilReady } from './_poll.js';
import { requestExport } from './_request.js';
import { isExportError } from './errors.js';
import { resolveExport } from './resources.js';
import type { ExportClientOptionsResolved, ExportedContent, ExportOptions, ExportResult, ExportSummary, ExportToMemoryOptions } from './types.js';

/** One export was requested; an expired pre-signed link earns exactly one fresh export. */
const MAX_EXPORTS = 2;

/** Export `resource` into `file` (through a temporary file in the same directory). */
export async function exportToFile(options: ExportClientOptionsResolved, resource: string, file: string, exportOptions: ExportOptions = {}): Promise<ExportResult> {
  const { summary } = await runExport(options, resource, exportOptions, (ctx, url) => downloadToFile(ctx, url, file));
  return { ...summary, file };
}

/** Export `resource` into memory; `content` is null when it is exactly `exportOptions.known`. */
export async function exportToMemory(options: ExportClientOptionsResolved, resource: string, exportOptions: ExportToMemoryOptions = {}): Promise<ExportedContent> {
  const known = exportOptions.known;
  const { summary, downloaded } = await runExport(options, resource, exportOptions, (ctx, url) => downloadToMemory(ctx, url, known));
  return { ...summary, content: downloaded.content };
}

/** Request → poll → download into whatever `download` writes to, once more on an expired link. */
async function runExport<D extends Downloaded>(
  options: ExportClientOptionsResolved,
  resource: string,
  exportOptions: ExportOptions,
  download: (ctx: ExportContext, url: URL) => Promise<D>,
): Promise<{ summary: ExportSummary; downloaded: D }> {
  const spec = resolveExport(resource);
  const redactor = new Redactor();
  redactor.add(options.apiKeyId);
  redactor.add(options.apiKeySecret);
  const ctx: ExportContext = {
    options,
    resource: spec.resource,
    signal: exportOptions.signal,
    emit: exportOptions.onProgress ?? (() => undefined),
    redactor,
    stats: { exports: 0, polls: 0 },
  };
  const timings = { requestMs: 0, pollMs: 0, downloadMs: 0, totalMs: 0 };
  const started = options.now();
  const timed = async <T>(key: 'requestMs' | 'pollMs' | 'downloadMs', step: () => Promise<T>): Promise<T> => {
    const t = options.now();
    try {
      return await step();
    } finally {
      timings[key] += options.now() - t;
    }
  };
  throwIfAborted(ctx);
  for (;;) {
    ctx.stats.exports++;
    const links = await timed('requestMs', () => requestExport(ctx, spec, exportOptions));
    ctx.emit({ type: 'requested', resource: spec.resource, exports: ctx.stats.exports });
    try {
      const { polls } = await timed('pollMs', () => waitUntilReady(ctx, links.pollingUrl));
      ctx.emit({ type: 'ready', resource: spec.resource, polls });
      const downloaded = await timed('downloadMs', () => download(ctx, links.url));
      timings.totalMs = options.now() - started;
      const summary: ExportSummary = {
        resource: spec.resource,
        bytes: downloaded.bytes,
        sha256: downloaded.sha256,
        polls: ctx.stats.polls,
        exports: ctx.stats.exports,
        timings,
      };
      ctx.emit({ type: 'done', resource: spec.resource, result: summary });
      return { summary, downloaded };
    } catch (error) {
      if (!isExportError(error, 'EXPORT_LINK_EXPIRED') || ctx.stats.exports >= MAX_EXPORTS) throw error;
      ctx.emit({ type: 'retry', resource: spec.resource, reason: 'pre-signed link expired; requesting a fresh export', attempt: ctx.stats.exports, delayMs: 0 });
    }
  }
}
