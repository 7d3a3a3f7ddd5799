// A proxy on 127.0.0.1 that misbehaves on purpose: it reads the request head (CONNECT or a forwarded
// request), records it, and then never answers, answers 200 and falls silent, or answers a fixed status
// with a body built from what it received (to echo Proxy-Authorization back, as some proxies' error pages do).
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type ProxyBehaviour =
  | 'silent' // accepts the connection, never answers
  | 'established-then-silent' // answers 200 to CONNECT, then never speaks
  | { status: number; reason: string; body: (head: string) => string };

export interface ScriptedProxy {
  url: string;
  /** The request heads received, one per connection. */
  heads: string[];
  /** Connections still open: a client that gave up must have closed its own. */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

export async function startScriptedProxy(behaviour: ProxyBehaviour): Promise<ScriptedProxy> {
  const heads: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      if (received.includes('\r\n\r\n')) return; // after the head: the tunnel's bytes, ignored
      received += chunk.toString('latin1');
      if (!received.includes('\r\n\r\n')) return;
      const head = received.slice(0, received.indexOf('\r\n\r\n'));
      heads.push(head);
      if (behaviour === 'silent') return;
      if (behaviour === 'established-then-silent') {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        return;
      }
      const body = Buffer.from(behaviour.body(head));
      socket.end(
        `HTTP/1.1 ${behaviour.status} ${behaviour.reason}\r\ncontent-type: text/plain\r\n` +
          `content-length: ${body.length}\r\nconnection: close\r\n\r\n${body.toString('latin1')}`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    heads,
    openConnections: () =>
      new Promise((resolve, reject) =>
        server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
