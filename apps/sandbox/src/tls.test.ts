import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useSandbox } from './_test-helpers.js';
import { sandboxCsv } from './data.js';
import { createSandbox } from './sandbox.js';

// A throwaway certificate for 127.0.0.1, as a user would make one for the sandbox.
const dir = mkdtempSync(join(tmpdir(), 'sandbox-tls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
const tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };

const start = useSandbox({ tls, readyAfterPolls: 0 });

/** One https request; resolves with status and body text, rejects on a TLS or network error. */
function httpsText(url: string, options: RequestOptions & { body?: string }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; }).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject).end(options.body);
  });
}

describe('the sandbox over https (tls option)', () => {
  it('serves both origins over https with the given certificate', async () => {
    const { sandbox, urls } = await start();
    expect(urls.apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(urls.storageUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const headers = { 'X-Api-Key-ID': sandbox.apiKeyId, 'X-Api-Key-Secret': sandbox.apiKeySecret };
    const answer = await httpsText(`${urls.apiUrl}/api/rest/v0/labels/download-url`, { method: 'POST', headers, ca: tls.cert });
    const links = JSON.parse(answer.text) as { pollingUrl: string; url: string };
    expect(links.url.startsWith(`${urls.storageUrl}/`)).toBe(true);
    expect(await httpsText(links.pollingUrl, { method: 'HEAD', ca: tls.cert })).toMatchObject({ status: 200 });
    expect(await httpsText(links.url, { ca: tls.cert })).toEqual({ status: 200, text: sandboxCsv('labels', 1) });
    expect(sandbox.counters).toMatchObject({ apiRequests: 1, storageRequests: 2, downloads: 1 });
    expect(sandbox.counters.connections).toBeGreaterThanOrEqual(2);
  });

  it('is refused by a client that does not trust its certificate', async () => {
    const { urls } = await start();
    await expect(httpsText(`${urls.apiUrl}/api/rest/v0/labels/download-url`, { method: 'POST' })).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('refuses an empty key or certificate', () => {
    expect(() => createSandbox({ tls: { key: '', cert: tls.cert } })).toThrow(expect.objectContaining({ code: 'SANDBOX_INVALID_OPTION' }));
  });
});
