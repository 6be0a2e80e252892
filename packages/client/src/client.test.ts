import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportClient } from './client.js';
import type { ExportError } from './errors.js';
import type { ExportProgress } from './types.js';
import { startServer, type TestServer } from './_test-server.js';

// The sandbox-backed acceptance tests live in test/e2e/export.test.ts; these cover protocol details
// the sandbox has no switch for (redirects, Retry-After dates, echoed secrets), with a real server.
const keys = { apiKeyId: 'test-key-id-7f3a', apiKeySecret: 'test-secret-9b1c-do-not-print' };
const fast = { retries: 2, retryDelayMs: { base: 1, cap: 2 }, poll: { initialDelayMs: 1, maxDelayMs: 5, deadlineMs: 2_000 } };
const CSV = 'ID,Name\n1,"a\nb"\n2,c\n';

let dir: string;
let server: TestServer | undefined;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'client-test-')); });
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<ExportError> {
  try {
    await promise;
  } catch (error) {
    return error as ExportError;
  }
  throw new Error('expected a rejection');
}

function expectNoSecrets(error: unknown): void {
  const text = `${String(error)} ${(error as Error).message} ${JSON.stringify(error)}`;
  expect(text).not.toContain(keys.apiKeyId);
  expect(text).not.toContain(keys.apiKeySecret);
  expect(text).not.toContain('sig-');
}

/** API and storage on one server: POST answers links to /storage/…, HEAD/GET follow `storage`. */
async function protocolServer(storage: (method: string, index: number, res: import('node:http').ServerResponse) => void): Promise<TestServer> {
  let url = '';
  const started = await startServer((request, res, index) => {
    if (request.method === 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ pollingUrl: `${url}/storage/poll?X-Amz-Signature=sig-0123456789abcdef`, url: `${url}/storage/file.csv?X-Amz-Signature=sig-0123456789abcdef` }));
      return;
    }
    storage(request.method, index, res);
  });
  url = started.url;
  return started;
}

describe('createExportClient against a real server', () => {
  it('sends the key to the API only, the campaigns body, and streams the file', async () => {
    server = await protocolServer((method, _index, res) => {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(CSV) });
      res.end(method === 'HEAD' ? undefined : CSV);
    });
    const events: ExportProgress['type'][] = [];
    const client = createExportClient({ baseUrl: server.url, ...keys, ...fast });
    const file = join(dir, 'nested', 'campaigns.csv');
    const result = await client.exportToFile('campaigns', file, {
      campaigns: { includeCompleted: false, includeDraft: true },
      onProgress: (event) => events.push(event.type),
    });
    expect(await readFile(file, 'utf8')).toBe(CSV);
    expect(result).toMatchObject({ resource: 'campaigns', bytes: Buffer.byteLength(CSV), polls: 1, exports: 1 });
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [post, head, get] = server.seen;
    expect(post).toMatchObject({ method: 'POST', path: '/api/rest/v0/campaigns/download-url', body: '{"includeCompleted":false,"includeDraft":true}' });
    expect(post!.headers).toMatchObject({ 'x-api-key-id': keys.apiKeyId, 'x-api-key-secret': keys.apiKeySecret, 'content-type': 'application/json' });
    for (const storageRequest of [head!, get!]) {
      expect(storageRequest.headers['x-api-key-id']).toBeUndefined();
      expect(storageRequest.headers['x-api-key-secret']).toBeUndefined();
    }
    expect(events).toEqual(['requested', 'ready', 'downloading', 'done']);
    expect(await readdir(join(dir, 'nested'))).toEqual(['campaigns.csv']);
  });

  it('writes the raw export readable by its owner only (0600), in a directory it creates 0700', async () => {
    server = await protocolServer((_method, _index, res) => { res.writeHead(200); res.end(CSV); });
    const client = createExportClient({ baseUrl: server.url, ...keys, ...fast });
    const file = join(dir, 'fresh', 'labels.csv');
    await client.exportToFile('labels', file);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'fresh'))).mode & 0o777).toBe(0o700);
    // An older, world-readable copy is replaced by a private one.
    const older = join(dir, 'apps.csv');
    await writeFile(older, 'old', { mode: 0o644 });
    await client.exportToFile('apps', older);
    expect((await stat(older)).mode & 0o777).toBe(0o600);
  });

  it('sends no body for exports without parameters', async () => {
    server = await protocolServer((_method, _index, res) => { res.writeHead(200); res.end('ID\n'); });
    await createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToFile('admins', join(dir, 'admins.csv'));
    expect(server.seen[0]).toMatchObject({ path: '/api/rest/v0/admins/download-url', body: '' });
  });

  it('refuses to follow a redirect from the API, so the key is never forwarded', async () => {
    server = await startServer((_request, res) => {
      res.writeHead(307, { location: 'http://127.0.0.2:9/steal' });
      res.end();
    });
    const error = await failure(createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToFile('labels', join(dir, 'labels.csv')));
    expect(error.code).toBe('EXPORT_HTTP_ERROR');
    expect(error.status).toBe(307);
    expect(server.seen).toHaveLength(1);
  });

  it('honours Retry-After (an HTTP date) on a 404 poll', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    server = await protocolServer((method, index, res) => {
      if (method === 'HEAD' && index === 1) {
        res.writeHead(404, { 'retry-after': new Date(now + 7_000).toUTCString() });
        res.end();
        return;
      }
      res.writeHead(200);
      res.end(method === 'HEAD' ? undefined : 'ID\n1\n');
    });
    const slept: number[] = [];
    const client = createExportClient({ baseUrl: server.url, ...keys, ...fast, poll: { ...fast.poll, deadlineMs: 60_000 }, now: () => now, sleep: async (ms) => { slept.push(ms); } });
    const result = await client.exportToFile('labels', join(dir, 'labels.csv'));
    expect(result.polls).toBe(2);
    expect(slept).toEqual([7_000]);
  });

  it('words HTTP errors like ofetch and scrubs echoed secrets and signatures from the body', async () => {
    server = await startServer((request, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: `bad key ${String(request.headers['x-api-key-secret'])} for ${String(request.headers['x-api-key-id'])}`, pad: 'x'.repeat(1_000) }));
    });
    const error = await failure(createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToFile('labels', join(dir, 'labels.csv')));
    expect(error.code).toBe('EXPORT_BAD_REQUEST');
    expect(error.status).toBe(400);
    expect(error.message.startsWith(`[POST] "${server.url}/api/rest/v0/labels/download-url": 400 Bad Request — {"error":"bad key [redacted] for [redacted]"`)).toBe(true);
    expect(error.message.length).toBeLessThan(500);
    expectNoSecrets(error);
  });

  it('strips the signature from storage URLs in errors', async () => {
    server = await protocolServer((_method, _index, res) => { res.writeHead(410); res.end('gone sig-0123456789abcdef'); });
    const error = await failure(createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToFile('labels', join(dir, 'labels.csv')));
    expect(error.code).toBe('EXPORT_HTTP_ERROR');
    expect(error.url).toBe(`${server.url}/storage/poll`);
    expectNoSecrets(error);
  });

  it('refuses an answer without string pollingUrl and url', async () => {
    server = await startServer((_request, res) => { res.writeHead(200); res.end('{"pollingUrl": 3}'); });
    const error = await failure(createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToFile('labels', join(dir, 'labels.csv')));
    expect(error.code).toBe('EXPORT_BAD_RESPONSE');
  });

  it('refuses plain-http storage links to a non-loopback host', async () => {
    server = await startServer((_request, res) => {
      res.writeHead(200);
      res.end(JSON.stringify({ pollingUrl: 'http://storage.example.com/p', url: 'http://storage.example.com/f' }));
    });
    const error = await failure(createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToFile('labels', join(dir, 'labels.csv')));
    expect(error.code).toBe('EXPORT_BAD_RESPONSE');
  });

  it('gives up on a refused connection after its retries with EXPORT_NETWORK', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const retries: number[] = [];
    const error = await failure(createExportClient({ baseUrl: closed.url, ...keys, ...fast }).exportToFile('labels', join(dir, 'labels.csv'), {
      onProgress: (event) => { if (event.type === 'retry') retries.push(event.attempt); },
    }));
    expect(error.code).toBe('EXPORT_NETWORK');
    expect(retries).toEqual([1, 2]);
    expectNoSecrets(error);
  });

  it('retries a 429 with its Retry-After, then gives up with EXPORT_RATE_LIMITED', async () => {
    server = await startServer((_request, res) => { res.writeHead(429, { 'retry-after': '2' }); res.end(); });
    const slept: number[] = [];
    const client = createExportClient({ baseUrl: server.url, ...keys, ...fast, sleep: async (ms) => { slept.push(ms); } });
    const error = await failure(client.exportToFile('labels', join(dir, 'labels.csv')));
    expect(error.code).toBe('EXPORT_RATE_LIMITED');
    expect(slept).toEqual([2_000, 2_000]);
    expect(server.seen).toHaveLength(3);
  });

  it('follows a storage redirect (relative Location), sending no key', async () => {
    let url = '';
    server = await startServer((request, res) => {
      if (request.method === 'POST') {
        res.writeHead(200);
        return void res.end(JSON.stringify({ pollingUrl: `${url}/storage/poll`, url: `${url}/storage/old.csv?X-Amz-Signature=sig-0123456789abcdef` }));
      }
      if (request.path.startsWith('/storage/old.csv')) return void res.writeHead(307, { location: '/storage/file.csv' }).end();
      res.writeHead(200);
      res.end(request.method === 'HEAD' ? undefined : CSV);
    });
    url = server.url;
    const result = await createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToMemory('labels');
    expect(result.content?.toString()).toBe(CSV);
    const gets = server.seen.filter((request) => request.method === 'GET');
    expect(gets.map((request) => request.path.split('?')[0])).toEqual(['/storage/old.csv', '/storage/file.csv']);
    for (const request of gets) expect(request.headers).not.toHaveProperty('x-api-key-secret');
  });

  it.each([
    ['to plain http off loopback', (_gets: number) => 'http://storage.example.com/file.csv', /refused 302 redirect: .*plain http/, 1],
    ['in a loop', (_gets: number) => '/storage/file.csv', /refused a redirect loop/, 2],
    ['that never ends', (gets: number) => `/storage/file-${gets}.csv`, /more than 20 redirects/, 21],
  ])('refuses a storage redirect %s with EXPORT_HTTP_ERROR, without retrying', async (_name, location, message, expectedGets) => {
    let gets = 0;
    server = await protocolServer((method, _index, res) => {
      if (method === 'HEAD') return void res.writeHead(200).end();
      gets += 1;
      res.writeHead(302, { location: location(gets) });
      res.end();
    });
    const error = await failure(createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToMemory('labels'));
    expect(error.code).toBe('EXPORT_HTTP_ERROR');
    expect(error.message).toMatch(message);
    expect(gets).toBe(expectedGets);
    expectNoSecrets(error);
  });

  it('decodes a gzip Content-Encoding (a storage object uploaded compressed)', async () => {
    const { gzipSync } = await import('node:zlib');
    const packed = gzipSync(CSV);
    server = await protocolServer((method, _index, res) => {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-encoding': 'gzip', 'content-length': String(packed.length) });
      res.end(method === 'HEAD' ? undefined : packed);
    });
    const result = await createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToMemory('labels');
    expect(result.content?.toString()).toBe(CSV);
    expect(result.bytes).toBe(Buffer.byteLength(CSV));
    expect(result.sha256).toBe(createHash('sha256').update(CSV).digest('hex'));
  });

  it('reuses one connection for the request, every poll and the download', async () => {
    server = await protocolServer((method, index, res) => {
      if (method === 'HEAD') {
        // Not ready twice, with a body a HEAD never sends: the client must drain, not drop.
        res.writeHead(index < 3 ? 404 : 200, { 'content-length': '1000' });
        return void res.end();
      }
      res.writeHead(200);
      res.end(CSV);
    });
    const result = await createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToMemory('labels');
    expect(result.polls).toBe(3);
    expect(server.seen).toHaveLength(5);
    expect(server.connections()).toBe(1);
  });

  it.each([
    ['before the headers', 'EXPORT_NETWORK', (res: ServerResponse) => { void res; }],
    ['in the middle of the body', 'EXPORT_TRUNCATED', (res: ServerResponse) => { res.writeHead(200, { 'content-length': '1000' }); res.write('ID,Name\n'); }],
  ])('gives up on a connection that goes silent %s (timeoutMs)', async (_name, code, stall) => {
    server = await protocolServer((method, _index, res) => {
      if (method === 'HEAD') return void res.writeHead(200).end();
      stall(res);
    });
    const error = await failure(createExportClient({ baseUrl: server.url, ...keys, ...fast, timeoutMs: 100 }).exportToMemory('labels'));
    expect(error.code).toBe(code);
    if (code === 'EXPORT_NETWORK') expect(error.message).toContain('UND_ERR_HEADERS_TIMEOUT');
    expectNoSecrets(error);
  });

  it('exportToMemory holds a body sent without Content-Length, growing past its first buffer', async () => {
    const body = `ID,Name\n${Array.from({ length: 80_000 }, (_, i) => `${i},name-${i}`).join('\n')}\n`;
    server = await protocolServer((method, _index, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      if (method === 'HEAD') return void res.end();
      // Written in pieces, so the response is chunked and announces no length.
      for (let at = 0; at < body.length; at += 100_000) res.write(body.slice(at, at + 100_000));
      res.end();
    });
    const result = await createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToMemory('labels');
    expect(Buffer.byteLength(body)).toBeGreaterThan(1 << 20);
    expect(result.content?.toString('utf8')).toBe(body);
    expect(result).toMatchObject({ resource: 'labels', bytes: Buffer.byteLength(body) });
    expect(result).not.toHaveProperty('file');
  });

  const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
  const OTHER = CSV.replace('c', 'd');
  it.each([
    ['is exactly the known export: hashed, never assembled', CSV, true, { bytes: Buffer.byteLength(CSV), sha256: sha(CSV) }, null],
    ['is exactly the known export, sent without a length', CSV, false, { bytes: Buffer.byteLength(CSV), sha256: sha(CSV) }, null],
    ['has the known length but other bytes: joined', OTHER, true, { bytes: Buffer.byteLength(CSV), sha256: sha(CSV) }, OTHER],
    ['has another length: read into one buffer', `${CSV}3,e\n`, true, { bytes: Buffer.byteLength(CSV), sha256: sha(CSV) }, `${CSV}3,e\n`],
    ['comes without a known export', CSV, true, undefined, CSV],
  ])('exportToMemory, when the body %s', async (_name, body, withLength, known, expected) => {
    server = await protocolServer((method, _index, res) => {
      res.writeHead(200, withLength ? { 'content-length': String(Buffer.byteLength(body)) } : {});
      if (method === 'HEAD') return void res.end();
      // Two writes, so a body without a length arrives chunked, in pieces.
      res.write(body.slice(0, 5));
      res.end(body.slice(5));
    });
    const result = await createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToMemory('labels', { known });
    expect(result.content === null ? null : result.content.toString()).toBe(expected);
    expect(result.sha256).toBe(sha(body));
    expect(result.bytes).toBe(Buffer.byteLength(body));
  });

  it('exportToMemory refuses an export larger than one Buffer can hold, before reading it', async () => {
    const { constants } = await import('node:buffer');
    server = await protocolServer((method, _index, res) => {
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(constants.MAX_LENGTH + 1) });
      if (method === 'HEAD') res.end();
      else res.write('ID,Name\n');
    });
    const error = await failure(createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToMemory('labels'));
    expect(error.code).toBe('EXPORT_TOO_LARGE');
    expect(error.data).toMatchObject({ resource: 'labels', bytes: constants.MAX_LENGTH + 1 });
    expectNoSecrets(error);
  });

  it.each([
    ['its directory is a file', (root: string) => join(root, 'blocker', 'labels.csv')],
    ['the target is a directory', (root: string) => join(root, 'blocker-dir')],
  ])('fails with EXPORT_WRITE_FAILED when %s, leaving nothing behind', async (_name, target) => {
    server = await protocolServer((method, _index, res) => { res.writeHead(200); res.end(method === 'HEAD' ? undefined : CSV); });
    const { mkdir, writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'blocker'), 'x');
    await mkdir(join(dir, 'blocker-dir'));
    const error = await failure(createExportClient({ baseUrl: server.url, ...keys, ...fast }).exportToFile('labels', target(dir)));
    expect(error.code).toBe('EXPORT_WRITE_FAILED');
    expect((await readdir(dir)).sort()).toEqual(['blocker', 'blocker-dir']);
    expect(await readdir(join(dir, 'blocker-dir'))).toEqual([]);
  });
});
