/**
 * A real forward proxy for the tests: `node:http` on 127.0.0.1, port 0, that answers CONNECT by
 * opening a TCP tunnel to the requested host and port (what a corporate proxy does for https) and
 * refuses everything else. It records every tunnel's target, so a test sees which origins were
 * reached through it.
 */
import { createServer } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface TestProxy {
  /** `http://127.0.0.1:<port>`, as HTTPS_PROXY / HTTP_PROXY take it. */
  readonly url: string;
  /** `host:port` of each CONNECT tunnel opened, in order. */
  readonly tunnels: string[];
  close(): Promise<void>;
}

export async function startProxy(): Promise<TestProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket): Socket => {
    sockets.add(socket.once('close', () => sockets.delete(socket)));
    return socket;
  };
  const server = createServer((_req, res) => res.writeHead(405, { connection: 'close' }).end('this proxy only tunnels (CONNECT)\n'));
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const at = target.lastIndexOf(':');
    const upstream = track(connect(Number(target.slice(at + 1)), target.slice(0, at).replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    }));
    track(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  // Never the reason a test run cannot exit.
  server.on('connection', (socket: Socket) => socket.unref());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
