import { STATUS_CODES } from 'node:http';
import { retryDelay, parseRetryAfter } from './_backoff.js';
import { abortedError, throwIfAborted, type ExportContext } from './_context.js';
import { decodedBody, header, RedirectError, send, type HttpRequest, type HttpResponse } from './_transport.js';
import { redactUrl } from './_url.js';
import { ExportError, type ExportErrorCode } from './errors.js';

const SNIPPET_LIMIT = 300;
const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;
const CERTIFICATE_HINT = 'the server\'s TLS certificate is not trusted; if a proxy re-signs TLS traffic, set NODE_EXTRA_CA_CERTS to its CA certificate (a PEM file)';
/** The POST's answer is a small JSON object; anything past this is not one. */
const TEXT_LIMIT = 1 << 20;

/**
 * One request, retried with backoff on 5xx, 429 and network errors (at most `retries` times),
 * honouring `Retry-After`. Other statuses are returned for the caller to judge. Aborting rejects
 * with `EXPORT_ABORTED`, also in the middle of a backoff sleep. A redirect that is refused (a loop,
 * too many, or to plain http off loopback) is `EXPORT_HTTP_ERROR`, not retried.
 */
export async function sendWithRetries(ctx: ExportContext, request: HttpRequest): Promise<HttpResponse> {
  const { options } = ctx;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(ctx);
    let response: HttpResponse;
    try {
      response = await send(options.dispatcher, request, { signal: ctx.signal, timeoutMs: options.timeoutMs });
    } catch (cause) {
      throwIfAborted(ctx);
      if (cause instanceof RedirectError) {
        throw new ExportError('EXPORT_HTTP_ERROR', `[${request.method}] "${redactUrl(request.url)}": ${ctx.redactor.apply(cause.message)}`, {
          cause, url: redactUrl(request.url), data: { resource: ctx.resource },
        });
      }
      const reason = `network error (${describeCause(cause)})`;
      if (attempt >= options.retries) {
        throw new ExportError('EXPORT_NETWORK', `[${request.method}] "${redactUrl(request.url)}": ${ctx.redactor.apply(reason)} after ${attempt + 1} attempts`, {
          cause, url: redactUrl(request.url), data: { resource: ctx.resource, attempts: attempt + 1 },
          hint: CERTIFICATE_ERROR.test(reason) ? CERTIFICATE_HINT : undefined,
        });
      }
      await backOff(ctx, attempt, null, reason);
      continue;
    }
    if (response.statusCode < 500 && response.statusCode !== 429) return response;
    const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), options.now());
    if (attempt >= options.retries) {
      const code: ExportErrorCode = response.statusCode === 429 ? 'EXPORT_RATE_LIMITED' : 'EXPORT_SERVER_ERROR';
      throw await httpError(ctx, code, request, response, { attempts: attempt + 1 });
    }
    // Read to its end (undici drops a body over 128 KiB instead), so the connection is reused.
    await response.body.dump();
    await backOff(ctx, attempt, retryAfterMs, `${response.statusCode} ${statusText(response)}`);
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
  response: HttpResponse,
  extra: { readonly data?: Record<string, unknown>; readonly hint?: string; readonly attempts?: number } = {},
): Promise<ExportError> {
  const body = ctx.redactor.apply(await readSnippet(response));
  const url = redactUrl(request.url);
  const attempts = extra.attempts !== undefined && extra.attempts > 1 ? ` (after ${extra.attempts} attempts)` : '';
  const message = `[${request.method}] "${url}": ${response.statusCode} ${statusText(response)}${attempts}${body ? ` — ${body}` : ''}`;
  return new ExportError(code, message, {
    status: response.statusCode,
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

export function statusText(response: HttpResponse): string {
  return response.statusText || STATUS_CODES[response.statusCode] || 'Unknown Status';
}

/** Reads at most the first few hundred characters of a body, then lets the rest go. */
export async function readSnippet(response: HttpResponse, limit = SNIPPET_LIMIT): Promise<string> {
  const text = await readText(response, limit);
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit)}…` : flat;
}

/**
 * The body as text, read until it ends or holds more than `limit` characters (then the rest is
 * dropped). A body that breaks off is returned as far as it got: this is for error messages and
 * the POST's small JSON answer, whose parser judges what arrived.
 */
export async function readText(response: HttpResponse, limit = TEXT_LIMIT): Promise<string> {
  const decoder = new TextDecoder();
  const body = decodedBody(response);
  let text = '';
  try {
    for await (const chunk of body) {
      text += decoder.decode(chunk as Buffer, { stream: true });
      if (text.length > limit) break;
    }
  } catch {
    // Reported as far as it got.
  }
  body.destroy();
  return text + decoder.decode();
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause).slice(0, 200);
  const inner = cause.cause instanceof Error ? cause.cause : undefined;
  const code = (inner as { code?: unknown } | undefined)?.code ?? (cause as { code?: unknown }).code;
  const text = inner?.message ?? cause.message;
  return (typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text).slice(0, 200);
}
