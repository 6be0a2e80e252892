import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CampaignFilters } from './_data-campaigns.js';
import { readBody, sendJson } from './_http.js';
import type { SandboxState } from './_state.js';

const ROUTE = /^\/api\/rest\/v0\/([^/]+)\/download-url\/?$/;

/** The API origin: `POST /api/rest/v0/{resource}/download-url` answers pre-signed storage links. */
export async function handleApi(state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  state.counters.apiRequests += 1;
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const match = ROUTE.exec(path);
  if (!match) return sendJson(res, 404, { error: `no such endpoint: ${path.slice(0, 120)}` });
  const resource = segment(match[1] ?? '');
  if (req.method !== 'POST') {
    return sendJson(res, 405, { error: `method ${req.method ?? '?'} not allowed; use POST` }, { Allow: 'POST' });
  }
  state.counters.posts[resource] = (state.counters.posts[resource] ?? 0) + 1;
  const failure = state.takeServerError('post', resource);
  if (failure) {
    const headers: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(failure.retryAfterSeconds) };
    return sendJson(res, failure.status, { error: 'the export service is temporarily unavailable' }, headers);
  }
  if (state.unauthorizedFault(resource) || !authorized(state, req)) {
    state.counters.unauthorized += 1;
    return sendJson(res, 401, { error: 'invalid or missing API key (X-Api-Key-ID / X-Api-Key-Secret)' });
  }
  if (!state.knows(resource)) return sendJson(res, 404, { error: `unknown resource "${resource.slice(0, 60)}"` });
  const body = await readBody(req);
  if (body === null) return sendJson(res, 413, { error: 'request body too large' });
  let filters: CampaignFilters | undefined;
  if (resource === 'campaigns') {
    const parsed = campaignFilters(body);
    if (typeof parsed === 'string') return sendJson(res, 400, { error: parsed });
    filters = parsed;
  }
  const now = Date.now();
  const record = state.createExport(resource, filters, now);
  const expiresAt = state.takeExpiredLink(resource) ? now - 1000 : now + state.options.linkTtlMs;
  sendJson(res, 200, {
    pollingUrl: state.signer.presign(state.storageOrigin, `/bulk-exports/${record.id}/status`, expiresAt),
    url: state.signer.presign(state.storageOrigin, `/bulk-exports/${record.id}/${record.resource}.csv`, expiresAt),
  });
}

function segment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function authorized(state: SandboxState, req: IncomingMessage): boolean {
  return same(req.headers['x-api-key-id'], state.options.apiKeyId) && same(req.headers['x-api-key-secret'], state.options.apiKeySecret);
}

function same(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The campaigns body: both filters present and boolean, else the reason it was refused. */
function campaignFilters(body: string): CampaignFilters | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'campaigns needs a JSON body {"includeCompleted": bool, "includeDraft": bool}';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'campaigns needs a JSON object body {"includeCompleted": bool, "includeDraft": bool}';
  }
  const { includeCompleted, includeDraft } = value as Record<string, unknown>;
  if (typeof includeCompleted !== 'boolean') return 'includeCompleted is required and must be a boolean';
  if (typeof includeDraft !== 'boolean') return 'includeDraft is required and must be a boolean';
  return { includeCompleted, includeDraft };
}
