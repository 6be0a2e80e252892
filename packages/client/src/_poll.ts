import { backoffDelay, parseRetryAfter } from './_backoff.js';
import { type ExportContext } from './_context.js';
import { httpError, sendWithRetries, sleep } from './_http.js';
import { header } from './_transport.js';
import { redactUrl } from './_url.js';
import { ExportError } from './errors.js';

/**
 * Step 2: `HEAD pollingUrl` until 200. 404 means "not ready": wait (full-jitter backoff, or the
 * server's Retry-After) and poll again, until the deadline. 403 means the pre-signed link expired
 * (`EXPORT_LINK_EXPIRED`, which the caller answers with a fresh export). No API key is sent.
 */
export async function waitUntilReady(ctx: ExportContext, pollingUrl: URL): Promise<{ polls: number }> {
  const { options } = ctx;
  const started = options.now();
  for (let attempt = 0; ; attempt++) {
    ctx.stats.polls++;
    const request = { method: 'HEAD' as const, url: pollingUrl, redirect: 'follow' as const };
    const response = await sendWithRetries(ctx, request);
    await response.body.dump();
    if (response.statusCode === 200) return { polls: attempt + 1 };
    if (response.statusCode === 403) throw linkExpired(ctx, 'HEAD', pollingUrl);
    if (response.statusCode !== 404) {
      throw await httpError(ctx, 'EXPORT_HTTP_ERROR', request, response, { data: { expected: '200 (ready) or 404 (not ready yet)' } });
    }
    const waitedMs = options.now() - started;
    const remainingMs = options.poll.deadlineMs - waitedMs;
    if (remainingMs <= 0) {
      throw new ExportError('EXPORT_NOT_READY_TIMEOUT', `export of ${ctx.resource} was not ready after ${attempt + 1} polls in ${(waitedMs / 1000).toFixed(1)} s (deadline ${(options.poll.deadlineMs / 1000).toFixed(1)} s); last poll of "${redactUrl(pollingUrl)}" answered 404`, {
        status: 404, url: redactUrl(pollingUrl),
        data: { resource: ctx.resource, polls: attempt + 1, waitedMs },
        hint: 'the export is still being prepared; try again later or raise the poll deadline',
      });
    }
    const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), options.now());
    const wantedMs = retryAfterMs ?? backoffDelay(attempt, options.poll.initialDelayMs, options.poll.maxDelayMs, options.random);
    // Never sleep past the deadline: the last poll happens right at it.
    const delayMs = Math.min(wantedMs, remainingMs);
    ctx.emit({ type: 'polling', resource: ctx.resource, attempt: attempt + 1, delayMs });
    await sleep(ctx, delayMs);
  }
}

export function linkExpired(ctx: ExportContext, method: string, url: URL): ExportError {
  return new ExportError('EXPORT_LINK_EXPIRED', `[${method}] "${redactUrl(url)}": 403 Forbidden — the pre-signed link expired (${ctx.stats.exports} export${ctx.stats.exports === 1 ? '' : 's'} requested)`, {
    status: 403, url: redactUrl(url),
    data: { resource: ctx.resource, exports: ctx.stats.exports },
    hint: 'the export took too long to download; try again',
  });
}
