import { pipeline, type Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { errors, interceptors, type Dispatcher } from 'undici';
import { parseSecureUrl } from './_url.js';

export interface HttpRequest {
  readonly method: 'POST' | 'HEAD' | 'GET';
  readonly url: URL;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** 'manual' for requests that carry the API key, so a redirect can never forward it. */
  readonly redirect: 'manual' | 'follow';
}

export type HttpResponse = Dispatcher.ResponseData;

/** Thrown for a redirect that is not followed: a loop, too many hops, or to plain http off loopback. */
export class RedirectError extends Error {
  override readonly name = 'RedirectError';
}

const REDIRECTS = new Set([300, 301, 302, 303, 307, 308]);
/** The same limit as fetch. */
const MAX_REDIRECTS = 20;

/**
 * One request through `dispatcher`. With `redirect: 'follow'` (storage links, which carry no key)
 * undici's redirect interceptor follows redirects (303, and 301/302 after a POST, become GET; a
 * loop is refused), each hop checked first so that none goes to plain http off loopback. A
 * connection silent for `timeoutMs` before the headers or between body bytes fails (0: never).
 * Rejects on network errors with undici's or Node's error (`code` ECONNREFUSED,
 * UND_ERR_HEADERS_TIMEOUT, …), and with {@link RedirectError} for a redirect that is not followed.
 */
export async function send(dispatcher: Dispatcher, request: HttpRequest, options: { signal: AbortSignal | undefined; timeoutMs: number }): Promise<HttpResponse> {
  const following = request.redirect === 'follow';
  // undici puts a keep-alive connection back into its pool one event-loop turn after the response
  // ended; a request sent sooner opens a new connection (and, through a proxy, a new tunnel).
  await setImmediate();
  let response: HttpResponse;
  try {
    const through = following ? dispatcher.compose(refuseInsecureRedirects, interceptors.redirect({ maxRedirections: MAX_REDIRECTS })) : dispatcher;
    response = await through.request({
      origin: request.url.origin,
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: request.headers ?? {},
      body: request.body ?? null,
      signal: options.signal ?? null,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      // Keep the connection after a HEAD too: undici closes it by default, for servers that wrongly
      // answer a HEAD with a body; without this every poll would open a connection.
      reset: false,
    });
  } catch (error) {
    // undici's redirect interceptor refuses to go back to a URL it has already visited.
    if (error instanceof errors.InvalidArgumentError && /redirect loop/i.test(error.message)) throw new RedirectError('refused a redirect loop', { cause: error });
    throw error;
  }
  // Errors reach whoever reads the body; until someone does, they must not crash the process.
  response.body.on('error', () => undefined);
  if (following && REDIRECTS.has(response.statusCode) && response.headers.location !== undefined) {
    await response.body.dump();
    throw new RedirectError(`more than ${MAX_REDIRECTS} redirects`);
  }
  return response;
}

/** One header's value; repeated headers joined with ", ". */
export function header(response: HttpResponse, name: string): string | null {
  const value = response.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The body with a gzip, deflate or br Content-Encoding undone (any other encoding is passed through,
 * as fetch does). undici 7's decompress interceptor does this too, but it is experimental and
 * prints an ExperimentalWarning on every run of the CLI.
 */
export function decodedBody(response: HttpResponse): Readable {
  const encoding = (header(response, 'content-encoding') ?? '').trim().toLowerCase();
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip()
    : encoding === 'deflate' ? createInflate()
      : encoding === 'br' ? createBrotliDecompress()
        : null;
  if (!decoder) return response.body;
  decoder.on('error', () => undefined);
  return pipeline(response.body, decoder, () => undefined);
}

/** Passes every hop on to `handler`, but aborts a redirect whose Location is not https (or loopback http). */
const refuseInsecureRedirects: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
  const from = new URL(opts.path, opts.origin);
  return dispatch(opts, {
    onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
    onResponseStart(controller, status, headers, message) {
      const location = headers.location;
      if (REDIRECTS.has(status) && typeof location === 'string') {
        try {
          parseSecureUrl(new URL(location, from), 'a redirect');
        } catch (cause) {
          return controller.abort(new RedirectError(`refused ${status} redirect: ${(cause as Error).message}`, { cause }));
        }
      }
      handler.onResponseStart?.(controller, status, headers, message);
    },
    onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
    onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
    onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
  });
};
