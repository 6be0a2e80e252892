import { STATUS_CODES } from 'node:http';
import { retryDelay, parseRetryAfter } from './_backoff.js';
import { abortedError, throwIfAborted, type ExportContext } from './_context.js';
import { redactUrl } from './_url.js';
import { ExportError, type ExportErrorCode } from './errors.js';

const SNIPPET_LIMIT = 300;

export interface HttpRequest {
  readonly method: 'POST' | 'HEAD' | 'GET';
  readonly url: URL;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** 'manual' for requests that carry the API key, so a redirect can never forward it. */
  readonly redirect: 'manual' | 'follow';
}

/**
 * One request, retried with backoff on 5xx, 429 and network errors (at most `retries` times),
 * honouring `Retry-After`. Other statuses are returned for the caller to judge. Aborting rejects
 * with `EXPORT_ABORTED`, also in the middle of a backoff sleep.
 */
export async function fetchWithRetries(ctx: ExportContext, request: HttpRequest): Promise<Response> {
  const { options } = ctx;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(ctx);
    let response: Response;
    try {
      response = await options.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: request.redirect,
        signal: ctx.signal,
      });
    } catch (cause) {
      throwIfAborted(ctx);
      const reason = `network error (${describeCause(cause)})`;
      if (attempt >= options.retries) {
        throw new ExportError('EXPORT_NETWORK', `[${request.method}] "${redactUrl(request.url)}": ${ctx.redactor.apply(reason)} after ${attempt + 1} attempts`, {
          cause, url: redactUrl(request.url), data: { resource: ctx.resource, attempts: attempt + 1 },
        });
      }
      await backOff(ctx, attempt, null, reason);
      continue;
    }
    if (response.status < 500 && response.status !== 429) return response;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now());
    if (attempt >= options.retries) {
      const code: ExportErrorCode = response.status === 429 ? 'EXPORT_RATE_LIMITED' : 'EXPORT_SERVER_ERROR';
      throw await httpError(ctx, code, request, response, { attempts: attempt + 1 });
    }
    await discard(response);
    await backOff(ctx, attempt, retryAfterMs, `${response.status} ${statusText(response)}`);
  }
}

async function backOff(ctx: ExportContext, attempt: number, retryAfterMs: number | null, reason: string): Promise<void> {
  const { options } = ctx;
  const delayMs = retryDelay({
    attempt, retryAfterMs, base: options.retryDelayMs.base, cap: options.retryDelayMs.cap,
    maxRetryAfterMs: options.maxRetryAfterMs, random: options.random,
  });
  ctx.emit({ type: 'retry', resource: ctx.resource, reason: ctx.redactor.apply(reason), attempt: attempt + 1, delayMs });
  await sleep(ctx, delayMs);
}

/** The injected sleep, with any rejection caused by the abort signal turned into `EXPORT_ABORTED`. */
export async function sleep(ctx: ExportContext, ms: number): Promise<void> {
  try {
    await ctx.options.sleep(ms, ctx.signal);
  } catch (error) {
    if (ctx.signal?.aborted) throw abortedError(ctx);
    throw error;
  }
  throwIfAborted(ctx);
}

/**
 * An error for a response, worded like ofetch: `[POST] "https://…/download-url": 503 Service
 * Unavailable`, followed by the start of the body. The body is truncated and scrubbed of secrets.
 */
export async function httpError(
  ctx: ExportContext,
  code: ExportErrorCode,
  request: Pick<HttpRequest, 'method' | 'url'>,
  response: Response,
  extra: { readonly data?: Record<string, unknown>; readonly hint?: string; readonly attempts?: number } = {},
): Promise<ExportError> {
  const body = ctx.redactor.apply(await readSnippet(response));
  const url = redactUrl(request.url);
  const attempts = extra.attempts !== undefined && extra.attempts > 1 ? ` (after ${extra.attempts} attempts)` : '';
  const message = `[${request.method}] "${url}": ${response.status} ${statusText(response)}${attempts}${body ? ` — ${body}` : ''}`;
  return new ExportError(code, message, {
    status: response.status,
    url,
    hint: extra.hint,
    data: {
      resource: ctx.resource,
      body,
      ...(extra.attempts === undefined ? {} : { attempts: extra.attempts }),
      ...extra.data,
    },
  });
}

export function statusText(response: Response): string {
  return response.statusText || STATUS_CODES[response.status] || 'Unknown Status';
}

/** Reads at most the first few hundred characters of a body, then lets the rest go. */
export async function readSnippet(response: Response, limit = SNIPPET_LIMIT): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length <= limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    // A body that breaks off mid-error is still worth reporting as far as it got.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}

/** Releases a response we do not read, so the connection can be reused. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause).slice(0, 200);
  const inner = cause.cause instanceof Error ? cause.cause : undefined;
  const code = (inner as { code?: unknown } | undefined)?.code ?? (cause as { code?: unknown }).code;
  const text = inner?.message ?? cause.message;
  return (typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text).slice(0, 200);
}
