import { type ExportContext } from './_context.js';
import { httpError, readText, sendWithRetries } from './_http.js';
import { parseSecureUrl, redactUrl } from './_url.js';
import { ExportError, isExportError } from './errors.js';
import type { ExportRequestOptions, ExportSpec } from './types.js';

const KEY_HINT = 'check BALKANID_API_KEY_ID / BALKANID_API_KEY_SECRET';

export interface ExportLinks {
  readonly pollingUrl: URL;
  readonly url: URL;
}

/** `{baseUrl}/api/rest/v0/{path}/download-url`, keeping a path prefix of the base URL. */
export function downloadUrlEndpoint(baseUrl: URL, path: string): URL {
  const prefix = baseUrl.pathname.replace(/\/+$/, '');
  return new URL(`${prefix}/api/rest/v0/${path}/download-url`, baseUrl.origin);
}

/**
 * Step 1: asks the API for a new export and returns its pre-signed polling and download URLs.
 * The only request that carries the API key; it never follows a redirect, so the key cannot be
 * forwarded to another host.
 */
export async function requestExport(ctx: ExportContext, spec: ExportSpec, requestOptions: ExportRequestOptions): Promise<ExportLinks> {
  const url = downloadUrlEndpoint(ctx.options.baseUrl, spec.path);
  const request = {
    method: 'POST' as const,
    url,
    redirect: 'manual' as const,
    headers: {
      'X-Api-Key-ID': ctx.options.apiKeyId,
      'X-Api-Key-Secret': ctx.options.apiKeySecret,
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    // The docs' curl sends no body for exports without parameters; only campaigns has one.
    ...(spec.body ? { body: JSON.stringify(spec.body(requestOptions)) } : {}),
  };
  const response = await sendWithRetries(ctx, request);
  const { statusCode: status } = response;
  if (status === 401 || status === 403) {
    throw await httpError(ctx, 'EXPORT_AUTH', request, response, { hint: KEY_HINT });
  }
  if (status === 404) {
    throw await httpError(ctx, 'EXPORT_UNKNOWN_RESOURCE', request, response, {
      hint: `the API has no export named "${spec.path}"; check the resource name`,
    });
  }
  if (status === 400 || status === 422) throw await httpError(ctx, 'EXPORT_BAD_REQUEST', request, response);
  if (status >= 300 && status < 400) {
    await response.body.dump();
    throw new ExportError('EXPORT_HTTP_ERROR', `[POST] "${redactUrl(url)}": ${status} redirect refused; expected 200 (the API key is never sent on to another URL)`, {
      status, url: redactUrl(url), data: { resource: ctx.resource }, hint: 'check the base URL (BALKANID_BASE_URL)',
    });
  }
  if (status !== 200 && status !== 201) throw await httpError(ctx, 'EXPORT_HTTP_ERROR', request, response);
  return parseLinks(ctx, url, await readText(response));
}

function parseLinks(ctx: ExportContext, endpoint: URL, text: string): ExportLinks {
  const bad = (expected: string, cause?: unknown): ExportError => new ExportError(
    'EXPORT_BAD_RESPONSE',
    `[POST] "${redactUrl(endpoint)}": expected ${expected}, received ${JSON.stringify(ctx.redactor.apply(text.slice(0, 120)))}`,
    { cause, url: redactUrl(endpoint), data: { resource: ctx.resource } },
  );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw bad('a JSON object {pollingUrl, url}', cause);
  }
  const { pollingUrl, url } = (json ?? {}) as { pollingUrl?: unknown; url?: unknown };
  if (typeof pollingUrl !== 'string' || typeof url !== 'string' || pollingUrl === '' || url === '') {
    throw bad('string fields "pollingUrl" and "url"');
  }
  const links = { pollingUrl: storageUrl(ctx, endpoint, pollingUrl, 'pollingUrl'), url: storageUrl(ctx, endpoint, url, 'url') };
  ctx.redactor.addQueryValues(links.pollingUrl);
  ctx.redactor.addQueryValues(links.url);
  return links;
}

function storageUrl(ctx: ExportContext, endpoint: URL, value: string, what: string): URL {
  try {
    return parseSecureUrl(new URL(value, endpoint), what);
  } catch (cause) {
    const reason = isExportError(cause) && cause.code === 'EXPORT_INSECURE_URL' ? 'uses plain http to a non-loopback host' : 'is not a valid http(s) URL';
    throw new ExportError('EXPORT_BAD_RESPONSE', `[POST] "${redactUrl(endpoint)}": the answer's ${what} ${reason}`, {
      cause, url: redactUrl(endpoint), data: { resource: ctx.resource },
    });
  }
}
