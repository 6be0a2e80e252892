import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { handleApi } from './_api.js';
import { logWhenDone, sendJson } from './_http.js';
import { resolveSandboxOptions } from './_options.js';
import { SandboxState } from './_state.js';
import { handleStorage } from './_storage.js';
import type { Sandbox, SandboxOptions, SandboxUrls } from './types.js';

/**
 * A local BalkanID bulk download API: an API origin that answers `POST …/download-url` and a
 * separate storage origin serving the pre-signed `pollingUrl` and `url`, with scripted nights,
 * injectable faults and a streamed synthetic resource.
 * @example
 * const sandbox = createSandbox({ night: 1 });
 * const { apiUrl } = await sandbox.listen(0);
 * // … point a client at apiUrl with sandbox.apiKeyId / sandbox.apiKeySecret …
 * await sandbox.close();
 */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const state = new SandboxState(resolveSandboxOptions(options));
  const api = server(state, 'api');
  const storage = server(state, 'storage');
  let urls: SandboxUrls | null = null;

  return {
    async listen(port = 0, storagePort = 0): Promise<SandboxUrls> {
      if (urls) return urls;
      const apiPort = await listenOn(api, port);
      const storageListenPort = await listenOn(storage, storagePort);
      const scheme = state.options.tls ? 'https' : 'http';
      state.storageOrigin = `${scheme}://127.0.0.1:${storageListenPort}`;
      urls = { apiUrl: `${scheme}://127.0.0.1:${apiPort}`, storageUrl: state.storageOrigin };
      return urls;
    },
    async close(): Promise<void> {
      await Promise.all([closeServer(api), closeServer(storage)]);
      await state.dispose();
      urls = null;
    },
    apiKeyId: state.options.apiKeyId,
    apiKeySecret: state.options.apiKeySecret,
    setNight: (night) => state.setNight(night),
    setFaults: (faults) => state.setFaults(faults),
    setSynthetic: (spec) => state.setSynthetic(spec),
    setExport: (resource, csv) => state.setExport(resource, csv),
    counters: state.counters,
    resetCounters: () => state.resetCounters(),
  };
}

function server(state: SandboxState, origin: 'api' | 'storage'): Server {
  const handle = origin === 'api' ? handleApi : handleStorage;
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    logWhenDone(req, res, origin, state.options.onRequest);
    handle(state, req, res).catch((error: unknown) => {
      // A bug in the sandbox must show up as a 500 in the client under test, not a hung request.
      if (!res.headersSent) sendJson(res, 500, { error: `sandbox failure: ${error instanceof Error ? error.message : String(error)}` });
      else res.destroy();
    });
  };
  const { tls } = state.options;
  const created: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createServer(listener);
  created.on('connection', (socket: Socket) => {
    state.counters.connections += 1;
    // An in-process sandbox must never be the reason a test run or the demo cannot exit.
    if (!state.options.keepProcessAlive) socket.unref();
  });
  created.on('listening', () => {
    if (!state.options.keepProcessAlive) created.unref();
  });
  return created;
}

function listenOn(target: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    target.once('error', reject);
    target.listen(port, '127.0.0.1', () => {
      target.off('error', reject);
      resolve((target.address() as AddressInfo).port);
    });
  });
}

function closeServer(target: Server): Promise<void> {
  if (!target.listening) return Promise.resolve();
  return new Promise((resolve) => {
    target.close(() => resolve());
    target.closeAllConnections();
  });
}
