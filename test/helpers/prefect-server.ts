// A stand-in for Prefect's API on 127.0.0.1: records every request as received and answers from a script
// of replies, so tests can inject faults (status codes, Retry-After, a reset connection, no answer at all).
import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type Reply =
  | Answer
  | 'reset' // destroy the connection without answering
  | 'hang' // never answer
  | ((request: RecordedRequest) => Reply); // decided from the request, e.g. to echo it back

export interface PrefectStub {
  /** e.g. http://127.0.0.1:PORT/api */
  apiUrl: string;
  origin: string;
  requests: RecordedRequest[];
  /** Replies for the next requests, in order; after them every request gets 204. */
  script: Reply[];
  close(): Promise<void>;
}

/** With `tls` (a PEM key and certificate), the stub speaks https. */
export async function startPrefectStub(
  script: Reply[] = [],
  tls?: { key: string; cert: string },
): Promise<PrefectStub> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const stub = { requests, script } as PrefectStub;
  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      let reply = stub.script.shift() ?? { status: 204 };
      while (typeof reply === 'function') reply = reply(requests[requests.length - 1] as RecordedRequest);
      if (reply === 'reset') return req.socket.destroy();
      if (reply === 'hang') return;
      res.writeHead(
        reply.status,
        reply.headers ?? (reply.body ? { 'content-type': 'application/json' } : {}),
      );
      res.end(reply.body ?? '');
    });
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  stub.origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  stub.apiUrl = `${stub.origin}/api`;
  stub.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return stub;
}
