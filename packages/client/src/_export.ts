import { Redactor, throwIfAborted, type ExportContext } from './_context.js';
import { downloadToFile } from './_download.js';
import { waitUntilReady } from './_poll.js';
import { requestExport } from './_request.js';
import { isExportError } from './errors.js';
import { resolveExport } from './resources.js';
import type { ExportClientOptionsResolved, ExportResult, ExportToFileOptions } from './types.js';

/** One export was requested; an expired pre-signed link earns exactly one fresh export. */
const MAX_EXPORTS = 2;

export async function exportToFile(
  options: ExportClientOptionsResolved,
  resource: string,
  file: string,
  exportOptions: ExportToFileOptions = {},
): Promise<ExportResult> {
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
      const downloaded = await timed('downloadMs', () => downloadToFile(ctx, links.url, file, exportOptions.countRecords ?? true));
      timings.totalMs = options.now() - started;
      const result: ExportResult = {
        resource: spec.resource,
        file,
        ...downloaded,
        polls: ctx.stats.polls,
        exports: ctx.stats.exports,
        timings,
      };
      ctx.emit({ type: 'done', resource: spec.resource, result });
      return result;
    } catch (error) {
      if (!isExportError(error, 'EXPORT_LINK_EXPIRED') || ctx.stats.exports >= MAX_EXPORTS) throw error;
      ctx.emit({ type: 'retry', resource: spec.resource, reason: 'pre-signed link expired; requesting a fresh export', attempt: ctx.stats.exports, delayMs: 0 });
    }
  }
}
