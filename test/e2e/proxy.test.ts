import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createExportClient, dispatcherFromEnv, type ExportError } from '@balkan-audit/client';
import { createSandbox, sandboxCsv, type Sandbox, type SandboxOptions } from '@balkan-audit/sandbox';
import { runCli } from '../helpers/cli.js';
import { startProxy, type TestProxy } from '../helpers/proxy.js';
import { selfSignedCertificate, type TestCertificate } from '../helpers/tls.js';

// A client behind a forward proxy: a real CONNECT proxy on 127.0.0.1 in front of the sandbox, over
// plain http in process and over https (a self-signed certificate) through the built CLI, whose
// Node reads NODE_EXTRA_CA_CERTS at start.
const keys = { apiKeyId: 'proxy-key-id-5d21', apiKeySecret: 'proxy-key-secret-c0ffee42' };

let dir: string;
let cert: TestCertificate;
let otherCert: TestCertificate;
let sandbox: Sandbox | undefined;
let proxy: TestProxy | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proxy-e2e-'));
  cert = selfSignedCertificate(dir, 'sandbox');
  otherCert = selfSignedCertificate(dir, 'other');
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });
afterEach(async () => {
  await sandbox?.close();
  await proxy?.close();
  sandbox = undefined;
  proxy = undefined;
});

async function start(options: SandboxOptions = {}): Promise<{ apiUrl: string; storageUrl: string; proxyUrl: string }> {
  sandbox = createSandbox({ ...keys, readyAfterPolls: 2, ...options });
  proxy = await startProxy();
  return { ...(await sandbox.listen(0)), proxyUrl: proxy.url };
}

/** Every connection the sandbox accepted came through a proxy tunnel, and the tunnels reached both origins. */
function expectEveryRequestTunnelled(apiUrl: string, storageUrl: string): void {
  const { host: api } = new URL(apiUrl);
  const { host: storage } = new URL(storageUrl);
  expect(new Set(proxy!.tunnels)).toEqual(new Set([api, storage]));
  expect(sandbox!.counters.connections).toBe(proxy!.tunnels.length);
  expect(sandbox!.counters).toMatchObject({ apiRequests: 1, storageRequests: 4, polls: 3, downloads: 1, storageRequestsWithApiKey: 0 });
}

describe('the client behind a forward proxy (in process, plain-http sandbox)', () => {
  it.each(['HTTP_PROXY', 'http_proxy'])('sends the POST, every HEAD and the GET through %s, the key to the API only', async (name) => {
    const { apiUrl, storageUrl, proxyUrl } = await start();
    const client = createExportClient({ baseUrl: apiUrl, ...keys, poll: { initialDelayMs: 1 }, dispatcher: dispatcherFromEnv({ [name]: proxyUrl }) });
    const result = await client.exportToMemory('labels');
    expect(result.content?.toString()).toBe(sandboxCsv('labels', 1));
    expectEveryRequestTunnelled(apiUrl, storageUrl);
  });

  it.each(['127.0.0.1', '.0.0.1,localhost', '*'])('goes direct to hosts NO_PROXY=%s covers', async (noProxy) => {
    const { apiUrl, proxyUrl } = await start();
    const client = createExportClient({ baseUrl: apiUrl, ...keys, poll: { initialDelayMs: 1 }, dispatcher: dispatcherFromEnv({ HTTP_PROXY: proxyUrl, NO_PROXY: noProxy }) });
    expect((await client.exportToMemory('labels')).content?.toString()).toBe(sandboxCsv('labels', 1));
    expect(proxy!.tunnels).toEqual([]);
  });

  it('reads the proxy from the environment it is given, not from process.env', async () => {
    const { apiUrl, proxyUrl } = await start();
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = proxyUrl;
    try {
      const client = createExportClient({ baseUrl: apiUrl, ...keys, poll: { initialDelayMs: 1 }, dispatcher: dispatcherFromEnv({}) });
      expect((await client.exportToMemory('labels')).content?.toString()).toBe(sandboxCsv('labels', 1));
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY;
      else process.env.HTTP_PROXY = saved;
    }
    expect(proxy!.tunnels).toEqual([]);
  });

  it('fails with EXPORT_NETWORK when the proxy is down', async () => {
    const { apiUrl, proxyUrl } = await start();
    await proxy!.close();
    const client = createExportClient({ baseUrl: apiUrl, ...keys, retries: 1, retryDelayMs: { base: 1, cap: 1 }, dispatcher: dispatcherFromEnv({ HTTP_PROXY: proxyUrl }) });
    const error = await client.exportToMemory('labels').catch((caught: unknown) => caught as ExportError);
    expect(error).toMatchObject({ code: 'EXPORT_NETWORK' });
    expect(sandbox!.counters.apiRequests).toBe(0);
  });
});

describe('balkan-audit export behind a proxy, over https (built CLI in a child process)', () => {
  const exportLabels = (env: Record<string, string>) => runCli(['export', 'labels', '--out', 'out', '--poll-interval', '0.001'], { cwd: dir, env });
  const apiEnv = (apiUrl: string) => ({ BALKANID_BASE_URL: apiUrl, BALKANID_API_KEY_ID: keys.apiKeyId, BALKANID_API_KEY_SECRET: keys.apiKeySecret });

  it('trusts the self-signed certificate named by NODE_EXTRA_CA_CERTS and tunnels every request through HTTPS_PROXY', async () => {
    const { apiUrl, storageUrl, proxyUrl } = await start({ tls: cert });
    expect(apiUrl.startsWith('https://')).toBe(true);
    const run = await exportLabels({ ...apiEnv(apiUrl), HTTPS_PROXY: proxyUrl, NODE_EXTRA_CA_CERTS: cert.certFile });
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    expect(await readFile(join(dir, 'out', 'labels.csv'), 'utf8')).toBe(sandboxCsv('labels', 1));
    expectEveryRequestTunnelled(apiUrl, storageUrl);
    for (const secret of Object.values(keys)) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('goes direct over https when NO_PROXY covers the host', async () => {
    const { apiUrl, proxyUrl } = await start({ tls: cert });
    const run = await exportLabels({ ...apiEnv(apiUrl), HTTPS_PROXY: proxyUrl, NO_PROXY: '127.0.0.1', NODE_EXTRA_CA_CERTS: cert.certFile });
    expect(run.code).toBe(0);
    expect(proxy!.tunnels).toEqual([]);
    expect(sandbox!.counters.storageRequestsWithApiKey).toBe(0);
  });

  it.each([
    ['no extra CA', () => ({})],
    ['another certificate as the extra CA', () => ({ NODE_EXTRA_CA_CERTS: otherCert.certFile })],
  ])('with %s, fails with EXPORT_NETWORK naming the certificate problem', async (_name, extra) => {
    const { apiUrl, proxyUrl } = await start({ tls: cert });
    const run = await exportLabels({ ...apiEnv(apiUrl), HTTPS_PROXY: proxyUrl, ...extra() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error [EXPORT_NETWORK] labels:');
    expect(run.stderr).toMatch(/self[- ]signed certificate/);
    expect(run.stderr).toContain('NODE_EXTRA_CA_CERTS');
    expect(sandbox!.counters.apiRequests).toBe(0);
    for (const secret of Object.values(keys)) expect(run.stdout + run.stderr).not.toContain(secret);
  });
});
