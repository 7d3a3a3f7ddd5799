// A stand-in for GitHub's REST API on 127.0.0.1, for the workflow-run input: serves runs and the jobs of
// their attempts as GitHub does (`per_page`, default 30 and at most 100; `page`; a Link header with
// rel="next" and rel="last"), records every request as received, and answers from a script of faults first
// (403/404/5xx, 429 and rate limits with their headers, a reset connection), so tests can see retries.
import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Reply = Fault | 'reset';

type Json = Record<string, unknown>;

export interface GitHubStub {
  /** GITHUB_API_URL: http://127.0.0.1:PORT, or with the base path given (GHES: /api/v3). */
  apiUrl: string;
  requests: RecordedRequest[];
  /** Replies for the next requests, in order, before the runs are served. */
  script: Reply[];
  /** Serves `run` under `repository` (owner/repo), with `jobs` as the jobs of its attempt. */
  serve(repository: string, run: Json, jobs: Json[]): void;
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/** `basePath`: the API's own path (GHES: /api/v3); with `tls` (a PEM key and certificate), the stub speaks https. */
export async function startGitHubStub(
  basePath = '',
  tls?: { key: string; cert: string },
): Promise<GitHubStub> {
  const requests: RecordedRequest[] = [];
  const runs = new Map<string, { run: Json; jobs: Json[] }>();
  const sockets = new Set<Socket>();
  const stub = { requests, script: [] as Reply[] } as GitHubStub;

  const listener: RequestListener = (req, res) => {
    const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers };
    requests.push(recorded);
    req.resume();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const reply = stub.script.shift();
    if (reply === 'reset') {
      req.socket.destroy();
      return;
    }
    if (reply) {
      send(
        reply.status,
        reply.body ?? { message: 'scripted', documentation_url: 'https://docs.github.com/rest' },
        reply.headers,
      );
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : '';
    const notFound = () =>
      send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    const match = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)(?:\/attempts\/(\d+)\/jobs)?$/.exec(path);
    const served = match ? runs.get(`${match[1]}#${match[2]}`) : undefined;
    if (!match || !served || req.method !== 'GET') return notFound();
    if (match[3] === undefined) return send(200, served.run);
    if (Number(match[3]) !== served.run.run_attempt) return notFound();
    const perPage = Math.min(Number(url.searchParams.get('per_page')) || DEFAULT_PER_PAGE, MAX_PER_PAGE);
    const page = Math.max(1, Number(url.searchParams.get('page')) || 1);
    const last = Math.max(1, Math.ceil(served.jobs.length / perPage));
    const pageUrl = (n: number) => {
      const next = new URL(url);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(n));
      return next.href;
    };
    const links = [
      ...(page < last ? [`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`] : []),
      ...(page > 1 ? [`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`] : []),
    ];
    send(
      200,
      { total_count: served.jobs.length, jobs: served.jobs.slice((page - 1) * perPage, page * perPage) },
      links.length > 0 ? { link: links.join(', ') } : {},
    );
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  stub.apiUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${port}${basePath}`;
  stub.serve = (repository, run, jobs) => runs.set(`${repository}#${String(run.id)}`, { run, jobs });
  stub.reset = () => {
    requests.length = 0;
    stub.script.length = 0;
    runs.clear();
  };
  stub.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return stub;
}
