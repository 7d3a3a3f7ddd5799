// The connections one request leaves behind: the answered one stays open, idle, until the next request
// starts (or the step exits), so a step that waits and polls for minutes never holds more than one, and a
// request that fails closes its own at once.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
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
async function openConnections(count: number): Promise<boolean> {
  for (const until = Date.now() + 1000; Date.now() < until;) {
    if (open.size === count) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return open.size === count;
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
});
