// The connections one request leaves behind: the answered one stays open, idle, until the next request
// starts (or the step exits), so a step that waits and polls for minutes never holds more than one for each
// bundle that sends (dist/index.js, and the wait-for or workflow-run chunk, each with its own copy of this
// module), and a request that fails closes its own at once.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { send, TimeoutError } from '../../src/net/http.ts';

let server: Server;
let url: URL;
const open = new Set<Socket>();
let connections = 0;

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') return; // never answered
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`);
});
after(() => {
  for (const socket of open) socket.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => (connections = 0));

/** Whether the server sees `count` open connections within a second (a close takes a turn to arrive). */
async function openConnections(count: number, sockets: Set<Socket> = open): Promise<boolean> {
  for (const until = Date.now() + 1000; Date.now() < until;) {
    if (sockets.size === count) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return sockets.size === count;
}

const get = (target: URL, timeoutMs = 2000) => send({ method: 'GET', url: target, headers: {}, timeoutMs });

describe('send: the connections a request leaves open', () => {
  test('each request has a connection of its own, and only the last answered one stays open', async () => {
    for (let request = 0; request < 3; request++) {
      const response = await get(url);
      assert.equal(response.status, 200);
      assert.equal(response.body, '{"ok":true}');
    }
    assert.equal(connections, 3, 'a fresh connection for every request: none is reused');
    assert.ok(await openConnections(1), `${open.size} connections open, not just the last one`);
  });

  test('a request that times out closes its connection, and the idle one before it', async () => {
    await get(url);
    await assert.rejects(get(new URL('/hang', url), 200), TimeoutError);
    assert.ok(await openConnections(0), `${open.size} connections still open`);
  });

  test('an answer that comes before the whole body was sent closes the connection: no write is left pending', async () => {
    // A server (a proxy's body limit, say) that answers at the request's first bytes, then reads no more and
    // keeps the connection open: the rest of the body would wait in the socket, holding the step open with
    // no deadline left, for as long as the server keeps the connection.
    const accepted = new Set<Socket>();
    const early = createTcpServer((socket) => {
      accepted.add(socket);
      socket.on('close', () => accepted.delete(socket));
      socket.on('error', () => {});
      socket.once('data', () => {
        socket.pause();
        socket.write('HTTP/1.1 413 Payload Too Large\r\ncontent-length: 8\r\n\r\ntoo long');
      });
    });
    await new Promise<void>((resolve) => early.listen(0, '127.0.0.1', resolve));
    try {
      const response = await send({
        method: 'POST',
        url: new URL(`http://127.0.0.1:${(early.address() as AddressInfo).port}/api/events/in`),
        headers: { 'content-type': 'application/json' },
        // Far more than the sockets' buffers hold.
        body: Buffer.alloc(32 * 1024 * 1024, 0x20),
        timeoutMs: 10_000,
      });
      assert.equal(response.status, 413);
      // The server reads again: the rest of a body still being sent would arrive, and the connection stay.
      for (const socket of accepted) socket.resume();
      assert.ok(await openConnections(0, accepted), `${accepted.size} connections still open`);
    } finally {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => early.close(() => resolve()));
    }
  });
});
