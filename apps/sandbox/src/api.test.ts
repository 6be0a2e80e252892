import { describe, expect, it } from 'vitest';
import { recordsOf, useSandbox } from './_test-helpers.js';
import { SANDBOX_RESOURCES } from './data.js';
import { createSandbox } from './sandbox.js';

const start = useSandbox();

describe('POST /api/rest/v0/{resource}/download-url', () => {
  it.each([
    ['no keys', { 'X-Api-Key-ID': '', 'X-Api-Key-Secret': '' }],
    ['a wrong secret', { 'X-Api-Key-Secret': 'nope' }],
    ['a wrong key id', { 'X-Api-Key-ID': 'someone-else' }],
  ])('answers 401 JSON for %s', async (_name, headers) => {
    const { post, sandbox } = await start();
    const answer = await post('integrations', undefined, headers);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(typeof ((await answer.json()) as { error: unknown }).error).toBe('string');
    expect(sandbox.counters.unauthorized).toBe(1);
  });

  it('accepts configured keys and links to a different origin', async () => {
    const { post, urls } = await start({ apiKeyId: 'k1', apiKeySecret: 's1' });
    const answer = await post('labels', undefined, { 'X-Api-Key-ID': 'k1', 'X-Api-Key-Secret': 's1' });
    expect(answer.status).toBe(200);
    const { pollingUrl, url } = (await answer.json()) as { pollingUrl: string; url: string };
    for (const link of [pollingUrl, url]) {
      const parsed = new URL(link);
      expect(parsed.origin).toBe(urls.storageUrl);
      expect(parsed.origin).not.toBe(urls.apiUrl);
      expect(parsed.searchParams.get('X-Expires')).toMatch(/^\d+$/);
      expect(parsed.searchParams.get('X-Signature')).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(pollingUrl).not.toBe(url);
    expect(urls.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.each([...SANDBOX_RESOURCES, 'admins', 'employees', 'entitlements'])('knows %s', async (resource) => {
    const { post } = await start();
    const answer = await post(resource, resource === 'campaigns' ? { includeCompleted: true, includeDraft: true } : undefined);
    expect(answer.status).toBe(200);
  });

  it('answers 404 JSON for an unknown resource and an unknown path', async () => {
    const { post, urls } = await start();
    const unknown = await post('not-a-resource');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain('not-a-resource');
    expect((await fetch(`${urls.apiUrl}/api/rest/v1/integrations/download-url`, { method: 'POST' })).status).toBe(404);
  });

  it('answers 405 for other methods', async () => {
    const { urls } = await start();
    const answer = await fetch(`${urls.apiUrl}/api/rest/v0/integrations/download-url`);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
  });

  it.each([
    ['no body', undefined],
    ['an empty object', {}],
    ['includeDraft missing', { includeCompleted: true }],
    ['includeCompleted missing', { includeDraft: false }],
    ['a string flag', { includeCompleted: 'true', includeDraft: true }],
    ['a number flag', { includeCompleted: true, includeDraft: 1 }],
    ['an array', [true, true]],
    ['invalid JSON', '{"includeCompleted": tru'],
  ])('refuses campaigns with %s (400)', async (_name, body) => {
    const { post } = await start();
    const answer = await post('campaigns', body);
    expect(answer.status).toBe(400);
    expect(typeof ((await answer.json()) as { error: unknown }).error).toBe('string');
  });

  it.each([
    [true, true, ['completed', 'draft', 'pending']],
    [false, true, ['draft', 'pending']],
    [true, false, ['completed', 'pending']],
    [false, false, ['pending']],
  ])('honours includeCompleted=%s includeDraft=%s', async (includeCompleted, includeDraft, statuses) => {
    const { exportOf } = await start();
    const text = await (await exportOf('campaigns', { includeCompleted, includeDraft })).text();
    const seen = new Set(recordsOf(text).rows.map((row) => row['Status*']));
    expect([...seen].sort()).toEqual(statuses);
  });

  it('counts requests, posts by resource and never a key on the storage origin', async () => {
    const { exportOf, post, sandbox } = await start();
    await exportOf('integrations');
    await exportOf('labels');
    await post('integrations', undefined, { 'X-Api-Key-Secret': 'wrong' });
    expect(sandbox.counters).toEqual({
      apiRequests: 3, storageRequests: 6, posts: { integrations: 2, labels: 1 }, polls: 4, downloads: 2,
      unauthorized: 1, serverErrors: 0, storageRequestsWithApiKey: 0, connections: expect.any(Number),
    });
    const counters = sandbox.counters;
    sandbox.resetCounters();
    expect(counters).toBe(sandbox.counters);
    expect(counters).toEqual({ apiRequests: 0, storageRequests: 0, posts: {}, polls: 0, downloads: 0, unauthorized: 0, serverErrors: 0, storageRequestsWithApiKey: 0, connections: 0 });
  });

  it('counts storage requests that carry an API key header', async () => {
    const { post, sandbox } = await start();
    const { pollingUrl, url } = (await (await post('apps')).json()) as { pollingUrl: string; url: string };
    await fetch(pollingUrl, { method: 'HEAD', headers: { 'X-Api-Key-ID': sandbox.apiKeyId } });
    await fetch(url, { headers: { 'X-Api-Key-Secret': sandbox.apiKeySecret } });
    await fetch(pollingUrl, { method: 'HEAD' });
    expect(sandbox.counters.storageRequestsWithApiKey).toBe(2);
  });

  it('refuses invalid options with a coded error', () => {
    expect(() => createSandbox({ night: 3 as 1 })).toThrow(expect.objectContaining({ code: 'SANDBOX_INVALID_OPTION' }));
    expect(() => createSandbox({ readyAfterPolls: -1 })).toThrow(expect.objectContaining({ code: 'SANDBOX_INVALID_OPTION' }));
    expect(() => createSandbox().setFaults({ serverErrors: { count: 1, status: 504 as 503 } })).toThrow(expect.objectContaining({ code: 'SANDBOX_INVALID_OPTION' }));
  });
});
