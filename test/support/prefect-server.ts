// A stand-in for Prefect's API on 127.0.0.1: records every request as received and answers from a script
// of replies, so tests can inject faults (status codes, Retry-After, a reset connection, no answer at all).
// With `csrf`, it also plays Prefect's CSRF protection (PREFECT_SERVER_CSRF_PROTECTION_ENABLED) the way the
// server's middleware and /csrf-token route do; without it, /csrf-token answers as a server with it off.
import { randomUUID } from 'node:crypto';
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
  /** With `csrf`: the token issued to each client id; clear it to make every issued token expire. */
  csrfTokens: Map<string, string>;
  /** With `csrf`: refuse every token, even fresh ones (a proxy stripping the headers looks like this). */
  csrfRefusesAll: boolean;
  /** Replies /csrf-token gives before its own answer, in order, to inject faults into the token request. */
  csrfTokenScript: Reply[];
  /** Forget the requests, the script and the CSRF state: a fresh stub for the next test. */
  reset(): void;
  close(): Promise<void>;
}

export interface StubOptions {
  /** Require Prefect-Csrf-Token and Prefect-Csrf-Client on POST, PUT, PATCH and DELETE; serve /csrf-token. */
  csrf?: boolean;
  /** Answers what the script does not (e.g. Prefect's read API, test/support/prefect-automations.ts). */
  route?: (request: RecordedRequest) => Reply | undefined;
}

const json = (status: number, body: unknown): Answer => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** With `tls` (a PEM key and certificate), the stub speaks https. */
export async function startPrefectStub(
  script: Reply[] = [],
  tls?: { key: string; cert: string },
  options: StubOptions = {},
): Promise<PrefectStub> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const stub = {
    requests,
    script,
    csrfTokens: new Map<string, string>(),
    csrfRefusesAll: false,
    csrfTokenScript: [] as Reply[],
  } as PrefectStub;
  stub.reset = () => {
    requests.length = 0;
    stub.script.length = 0;
    stub.csrfTokens.clear();
    stub.csrfRefusesAll = false;
    stub.csrfTokenScript.length = 0;
  };
  /** The CSRF route and middleware, as Prefect's server has them; undefined: the request goes on. */
  const csrfAnswer = (request: RecordedRequest): Reply | undefined => {
    const url = new URL(request.url, 'http://stub');
    if (request.method === 'GET' && url.pathname.endsWith('/csrf-token')) {
      const injected = stub.csrfTokenScript.shift();
      if (injected) return injected;
      if (!options.csrf) return json(422, { detail: 'CSRF protection is disabled.' });
      const client = url.searchParams.get('client');
      if (!client) return json(422, { detail: 'client is required' });
      const token = randomUUID().replace(/-/g, '');
      stub.csrfTokens.set(client, token);
      const expiration = new Date(Date.now() + 3_600_000).toISOString();
      return json(200, { token, client, expiration });
    }
    if (!options.csrf || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return undefined;
    const token = request.headers['prefect-csrf-token'];
    const client = request.headers['prefect-csrf-client'];
    if (token === undefined) return json(403, { detail: 'Missing CSRF token.' });
    if (client === undefined) return json(403, { detail: 'Missing client identifier.' });
    if (stub.csrfRefusesAll || stub.csrfTokens.get(String(client)) !== token) {
      return json(403, { detail: 'Invalid CSRF token or client identifier.' });
    }
    return undefined;
  };
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
      const recorded = requests[requests.length - 1] as RecordedRequest;
      let reply: Reply = csrfAnswer(recorded) ??
        stub.script.shift() ??
        options.route?.(recorded) ?? { status: 204 };
      while (typeof reply === 'function') reply = reply(recorded);
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
