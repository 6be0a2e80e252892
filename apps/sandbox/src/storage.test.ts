import { describe, expect, it } from 'vitest';
import { useSandbox } from './_test-helpers.js';
import { SANDBOX_RESOURCES, sandboxCsv } from './data.js';

const start = useSandbox();

describe('the storage origin', () => {
  it.each(SANDBOX_RESOURCES.flatMap((resource) => [[resource, 1], [resource, 2]] as const))(
    'serves %s night %s: HEAD 404, then 200, then the exact CSV', async (resource, night) => {
      const run = await start({ night });
      const { pollingUrl, url } = await run.links(resource);
      expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(404);
      expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(200);
      const download = await fetch(url);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe('text/csv');
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(Number(download.headers.get('content-length'))).toBe(bytes.length);
      expect(bytes.toString('utf8')).toBe(sandboxCsv(resource, night));
    });

  it('answers GET url 404 before the export is ready', async () => {
    const run = await start({ readyAfterPolls: 2 });
    const { pollingUrl, url } = await run.links('integrations');
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(404);
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(404);
    expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(url)).status).toBe(200);
    expect(run.sandbox.counters.downloads).toBe(1);
  });

  it('serves at once with readyAfterPolls 0', async () => {
    const run = await start({ readyAfterPolls: 0 });
    const { pollingUrl, url } = await run.links('apps');
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(200);
  });

  it('is not ready before readyAfterMs', async () => {
    const run = await start({ readyAfterPolls: 0, readyAfterMs: 150 });
    const { pollingUrl } = await run.links('labels');
    expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(200);
  });

  it.each([
    ['a changed signature', (u: URL) => u.searchParams.set('X-Signature', (u.searchParams.get('X-Signature') ?? '').replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))), 'SignatureDoesNotMatch'],
    ['a later expiry', (u: URL) => u.searchParams.set('X-Expires', String(Number(u.searchParams.get('X-Expires')) + 1000)), 'SignatureDoesNotMatch'],
    ['another export path', (u: URL) => { u.pathname = u.pathname.replace(/exp_[0-9a-f]+/, 'exp_00000000000000000000'); }, 'SignatureDoesNotMatch'],
    ['no signature', (u: URL) => u.searchParams.delete('X-Signature'), 'AccessDenied'],
  ])('refuses a link with %s (403)', async (_name, tamper, code) => {
    const run = await start({ readyAfterPolls: 0 });
    const { pollingUrl, url } = await run.links('integrations');
    for (const [link, method] of [[pollingUrl, 'HEAD'], [url, 'GET']] as const) {
      const changed = new URL(link);
      tamper(changed);
      const answer = await fetch(changed, { method });
      expect(answer.status).toBe(403);
      if (method === 'GET') expect(await answer.text()).toContain(`<Code>${code}</Code>`);
    }
  });

  it('refuses an expired link with 403', async () => {
    const run = await start({ readyAfterPolls: 0, linkTtlMs: 30 });
    const { pollingUrl, url } = await run.links('labels');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(403);
    const answer = await fetch(url);
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain('Request has expired');
  });

  it('answers 404 for unknown keys and 405 for other methods', async () => {
    const run = await start({ readyAfterPolls: 0 });
    const { url } = await run.links('labels');
    expect((await fetch(`${run.urls.storageUrl}/nothing-here`)).status).toBe(404);
    expect((await fetch(url, { method: 'PUT', body: 'x' })).status).toBe(405);
  });

  it('fixes an export\'s data at POST time', async () => {
    const run = await start({ night: 1, readyAfterPolls: 0 });
    const { url } = await run.links('integrations');
    run.sandbox.setNight(2);
    expect(await (await fetch(url)).text()).toBe(sandboxCsv('integrations', 1));
    expect(await (await run.exportOf('integrations')).text()).toBe(sandboxCsv('integrations', 2));
  });

  it('closes keep-alive sockets on close()', async () => {
    const run = await start({ readyAfterPolls: 0 });
    await (await run.exportOf('labels')).text();
    await run.sandbox.close();
    await expect(fetch(`${run.urls.apiUrl}/api/rest/v0/labels/download-url`, { method: 'POST' })).rejects.toThrow();
  });
});
