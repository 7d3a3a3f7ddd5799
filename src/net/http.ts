// One HTTP request with a deadline, over Node's own http/https. Through a proxy too: since 24.5, Node's Agent
// tunnels (CONNECT, for https) or forwards (http) by itself when given the proxy, so no HTTP library is
// bundled for it (undici, the alternative, weighs 495 to 735 kB bundled against a 51 kB action).
import type { Agent, IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** The attempt's deadline passed: proxy set-up, connect, send and answer did not all happen within it. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** The proxy answered CONNECT with something other than 200: the request never reached the server. */
export class ProxyRefusedError extends Error {
  override name = 'ProxyRefusedError';
  readonly status: number;
  constructor(status: number) {
    super(`the proxy answered CONNECT with ${status}`);
    this.status = status;
  }
}

// An error answer is read for its detail only; a server that streams megabytes back is cut short.
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Node's http/https without an ESM import: importing them as ESM builds a facade that reads every export,
 * and one lazy export loads Node's internal undici and tls, ~9 ms of start-up on every run.
 */
export function builtin<T extends 'node:http' | 'node:https'>(id: T) {
  return process.getBuiltinModule(id);
}

/** Whether this Node can go through a proxy by itself (the Agent's `proxyEnv`, Node 24.5 and later). */
export function nodeSupportsProxy(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 24 || (major === 24 && minor >= 5);
}

/** The TLS settings for the Prefect server (Prefect's PREFECT_API_SSL_CERT_FILE and _TLS_INSECURE_SKIP_VERIFY). */
export interface TlsOptions {
  /** PEM certificates that replace Node's default CAs for the server, as Prefect's `cafile` does. */
  ca?: string;
  /** false: the server's certificate is not verified at all. */
  rejectUnauthorized?: boolean;
}

interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  /** The bound on the whole exchange, proxy set-up included. */
  timeoutMs: number;
  proxy?: URL | undefined;
  tls?: TlsOptions | undefined;
  /** How much of the answer is kept; default 64 KiB, enough for an error's detail. */
  maxResponseBytes?: number;
}

// Agents whose exchange is over, each holding at most its idle kept-alive socket, which the agent
// unreferences: it holds nothing open. They are closed when the next request starts (of this bundle: each
// bundle that sends has its own copy of this module), and the last one by the process's exit. Closing a socket costs a step's first close about a millisecond (Node's net makes
// process.stderr to decide whether to log it), which a step of one request then never pays, as a script
// that POSTs once with Node's global agent never does.
const finished = new Set<Agent>();

export async function send(request: HttpRequest): Promise<HttpResponse> {
  const { url, proxy, timeoutMs } = request;
  const maxBytes = request.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const https = url.protocol === 'https:';
  const { Agent, request: open } = builtin(https ? 'node:https' : 'node:http');
  for (const done of finished) done.destroy();
  finished.clear();
  // A fresh agent for each attempt: a retry never reuses a broken socket (nor a kept-alive one, see
  // `finished`). With a proxy, only that proxy is given: NO_PROXY was decided already. The TLS options go to
  // the agent, which applies them to the server's handshake inside a tunnel too.
  const agent = new Agent({
    ...(proxy ? { proxyEnv: { [https ? 'HTTPS_PROXY' : 'HTTP_PROXY']: proxy.href } } : { keepAlive: true }),
    ...(https && request.tls),
  });
  // While Node sets up a CONNECT tunnel, the request has no socket yet and an abort reaches nothing: a proxy
  // that never answers, or a tunnel whose far end never speaks TLS, would hold the step forever. Every
  // socket the agent opens is kept here, so the deadline can close them all.
  const sockets: Socket[] = [];
  const createConnection = agent.createConnection.bind(agent) as (...args: unknown[]) => Socket;
  agent.createConnection = ((...args: unknown[]) => {
    const socket = createConnection(...args);
    if (socket) sockets.push(socket);
    return socket;
  }) as typeof agent.createConnection;

  let timer: NodeJS.Timeout | undefined;
  // Whether the request was all sent when its answer ended. A server may answer before reading the body (a
  // proxy's size limit): what is left of it would then wait in the socket, past the deadline, for as long as
  // the server keeps the connection.
  let sentWhenAnswered = false;
  let keepIdle = false;
  try {
    const response = await new Promise<HttpResponse>((resolve, reject) => {
      const req = open(url, { method: request.method, headers: request.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < maxBytes) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          sentWhenAnswered = req.writableFinished;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8'),
          });
        });
        res.on('error', reject);
      });
      // The deadline settles the attempt itself, whatever the request emits or fails to emit.
      timer = setTimeout(() => {
        reject(new TimeoutError(`no answer within ${timeoutMs / 1000} s`));
        req.destroy();
      }, timeoutMs);
      req.on('error', (error: Error & { code?: string; statusCode?: number }) => {
        reject(
          error.code === 'ERR_PROXY_TUNNEL' && error.statusCode
            ? new ProxyRefusedError(error.statusCode)
            : error,
        );
      });
      req.end(request.body);
    });
    keepIdle = sentWhenAnswered && !proxy;
    return response;
  } finally {
    clearTimeout(timer);
    // An exchange over on both sides leaves the socket idle in the agent, to be closed later; anything else
    // closes all now.
    if (keepIdle) {
      finished.add(agent);
    } else {
      agent.destroy();
      for (const socket of sockets) socket.destroy();
    }
  }
}
