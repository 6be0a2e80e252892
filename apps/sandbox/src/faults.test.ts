import { describe, expect, it } from 'vitest';
import { parseCsv, readAll, recordsOf, useSandbox } from './_test-helpers.js';
import { sandboxCsv } from './data.js';

const start = useSandbox({ readyAfterPolls: 0 });

describe('faults', () => {
  it('fails the first N POSTs with 503 and Retry-After, then recovers', async () => {
    const run = await start({ faults: { serverErrors: { count: 2, retryAfterSeconds: 3 } } });
    for (let i = 0; i < 2; i++) {
      const answer = await run.post('labels');
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('3');
    }
    expect((await run.post('labels')).status).toBe(200);
    expect(run.sandbox.counters.serverErrors).toBe(2);
  });

  it.each([
    ['poll', 502, 'HEAD'],
    ['download', 500, 'GET'],
  ] as const)('fails on %s with %s', async (on, status, method) => {
    const run = await start({ faults: { serverErrors: { count: 1, status, on } } });
    const { pollingUrl, url } = await run.links('labels');
    const target = method === 'HEAD' ? pollingUrl : url;
    expect((await fetch(target, { method })).status).toBe(status);
    expect((await fetch(target, { method })).status).toBe(200);
    expect(run.sandbox.counters.serverErrors).toBe(1);
  });

  it('keeps HEAD at 404 forever with neverReady', async () => {
    const run = await start({ faults: { neverReady: true } });
    const { pollingUrl, url } = await run.links('apps');
    for (let i = 0; i < 5; i++) expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(404);
    expect((await fetch(url)).status).toBe(404);
  });

  it('delays readiness with slowReadyMs', async () => {
    const run = await start({ faults: { slowReadyMs: 150 } });
    const { pollingUrl } = await run.links('apps');
    expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(pollingUrl, { method: 'HEAD' })).status).toBe(200);
  });

  it('truncates: fewer bytes than Content-Length, then the socket ends', async () => {
    const run = await start({ faults: { truncate: true } });
    const answer = await fetch((await run.links('integrations')).url);
    const announced = Number(answer.headers.get('content-length'));
    expect(announced).toBe(Buffer.byteLength(sandboxCsv('integrations', 1)));
    const { bytes, error } = await readAll(answer);
    expect(error).not.toBeNull();
    expect(bytes).toBeLessThan(announced);
  });

  it('resets the connection a third of the way through the body', async () => {
    const run = await start({ faults: { reset: true } });
    const answer = await fetch((await run.links('integrations')).url);
    const announced = Number(answer.headers.get('content-length'));
    const { bytes, error } = await readAll(answer);
    expect(error).not.toBeNull();
    expect(bytes).toBeLessThanOrEqual(Math.floor(announced / 3));
  });

  it('serves a CSV given as it is, under any path segment, and stops when told', async () => {
    const run = await start();
    const csv = 'ID,Name\n1,"<img src=x onerror=alert(1)>"\n';
    run.sandbox.setExport('labels', csv);
    run.sandbox.setExport('custom-things', csv);
    for (const resource of ['labels', 'custom-things']) expect(await (await fetch((await run.links(resource)).url)).text()).toBe(csv);
    run.sandbox.setExport('labels', null);
    expect(await (await fetch((await run.links('labels')).url)).text()).toBe(sandboxCsv('labels', 1));
    expect(() => run.sandbox.setExport('../etc', csv)).toThrow(/path segment/);
  });

  it('issues already expired links for the first N exports only', async () => {
    const run = await start({ faults: { expireLinks: 1 } });
    const first = await run.links('labels');
    expect((await fetch(first.pollingUrl, { method: 'HEAD' })).status).toBe(403);
    expect((await fetch(first.url)).status).toBe(403);
    const second = await run.links('labels');
    expect((await fetch(second.url)).status).toBe(200);
  });

  it('answers every POST 401 with unauthorized', async () => {
    const run = await start({ faults: { unauthorized: true } });
    expect((await run.post('labels')).status).toBe(401);
    expect(run.sandbox.counters.unauthorized).toBe(1);
  });

  it('serves the header only with empty', async () => {
    const run = await start({ faults: { empty: true } });
    const text = await (await run.exportOf('campaigns')).text();
    expect(text).toBe(`${sandboxCsv('campaigns', 1).split('\r\n')[0]}\r\n`);
  });

  it('serves a never-closed quote with malformed', async () => {
    const run = await start({ faults: { malformed: true } });
    const text = await (await run.exportOf('integrations')).text();
    expect(() => parseCsv(sandboxCsv('integrations', 1))).not.toThrow();
    expect(() => parseCsv(text)).toThrow(expect.objectContaining({ code: 'CSV_QUOTE_NOT_CLOSED' }));
  });

  it('repeats one ID on a second row with duplicateIds', async () => {
    const run = await start({ faults: { duplicateIds: true } });
    const ids = recordsOf(await (await run.exportOf('labels')).text()).rows.map((row) => row.ID);
    expect(ids.length).toBe(new Set(ids).size + 1);
  });

  it('limits faults to the resources in only', async () => {
    const run = await start({ faults: { only: ['apps'], empty: true, serverErrors: { count: 5 } } });
    expect(await (await run.exportOf('labels')).text()).toBe(sandboxCsv('labels', 1));
    expect((await run.post('apps')).status).toBe(503);
    expect(run.sandbox.counters.serverErrors).toBe(1);
  });

  it('setFaults replaces the faults and restarts their counts', async () => {
    const run = await start({ faults: { unauthorized: true } });
    run.sandbox.setFaults({ serverErrors: { count: 1 } });
    expect((await run.post('labels')).status).toBe(503);
    expect((await run.post('labels')).status).toBe(200);
    run.sandbox.setFaults({ serverErrors: { count: 1 } });
    expect((await run.post('labels')).status).toBe(503);
    run.sandbox.setFaults({});
    expect((await run.post('labels')).status).toBe(200);
  });
});
