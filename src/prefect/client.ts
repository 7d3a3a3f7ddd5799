// The Prefect events client: POST {api}/events with retries, per-attempt timeouts, the proxy from the
// environment, Prefect's client settings (custom headers, TLS) and, on self-hosted servers that want it, a
// CSRF token; a batch too large for one request goes as several, in order. Errors carry the server's status
// and detail, never a credential. A dry-run client has the same interface and prints instead. Knows nothing
// of GitHub nor of the action's input names.
import type { PrefectEvent } from '../event/schema.ts';
import { nodeSupportsProxy, type HttpResponse, type TlsOptions } from '../net/http.ts';
import {
  describeProxy,
  ProxyConfigError,
  proxyCredentials,
  proxyFor,
  type ProxyChoice,
} from '../net/proxy.ts';
import type { PrefectApi } from './api.ts';
import { attemptOnce, type Attempt, type Session } from './attempt.ts';
import { requestBodies } from './batches.ts';
import { csrfHeaders, isCsrfRefusal, newClientId, readTokenAnswer, tokenUrl } from './csrf.ts';
import { DeliveryError, NEUTRAL_NAMES, type SettingNames } from './errors.ts';
import {
  backoffMs,
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_PAUSE_MS,
  retryAfterMs,
  whyStop,
  type AttemptResult,
} from './retry.ts';
import { redact, secretsOf } from './secrets.ts';

// Prefect Cloud refuses bodies over 5 MiB with 413.
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

const USER_AGENT = 'emit-prefect-event';

/**
 * Headers the client sets itself, which custom headers cannot replace: Prefect's own three (User-Agent and
 * the CSRF pair), and those that frame the request (a wrong Content-Length or Host breaks it outright).
 */
export const MANAGED_HEADERS: readonly string[] = [
  'user-agent',
  'prefect-csrf-token',
  'prefect-csrf-client',
  'content-type',
  'content-length',
  'transfer-encoding',
  'host',
  'connection',
];

export interface Delivery {
  /** 204 when sent; 0 from the dry-run client, which sends nothing. */
  status: number;
  /** Every attempt of every request. */
  attempts: number;
  /** POST requests the batch took: 1 while it fits under MAX_BODY_BYTES. */
  requests: number;
}

export interface EventsClient {
  /** Resolves when the server accepts every event; throws DeliveryError (with emittedCount) otherwise. */
  send(events: PrefectEvent[]): Promise<Delivery>;
}

export interface ClientOptions {
  api: PrefectApi;
  apiKey?: string;
  authString?: string;
  /** Extra attempts after the first, for failures that can succeed on retry. */
  retries: number;
  /** The bound on each attempt, proxy set-up included. */
  timeoutMs: number;
  /** First backoff pause; each later one doubles, with jitter. */
  backoffMs?: number;
  /** The longest pause between attempts, Retry-After included: it keeps the whole step finite. */
  maxPauseMs?: number;
  /** Proxy variables are read from here. */
  env?: NodeJS.ProcessEnv;
  debug?: (message: string) => void;
  /** The caller's names for its settings, used in hints; neutral words when not given. */
  names?: SettingNames;
  /** Sent on every request (PREFECT_CLIENT_CUSTOM_HEADERS); MANAGED_HEADERS among them are skipped. */
  customHeaders?: Readonly<Record<string, string>>;
  /** For an https server: its CAs, or no verification at all. */
  tls?: TlsOptions;
  /** How much of an answer is read: only an error's detail, unless the caller reads answers (reads.ts). */
  maxResponseBytes?: number;
}

export function createHttpClient(options: ClientOptions): EventsClient {
  return { send: (events) => sendEvents(events, options) };
}

/** The client of a dry run: hands the events to `show` (the caller words it) and sends nothing. */
export function createDryRunClient(show: (events: PrefectEvent[]) => void): EventsClient {
  return {
    send: async (events) => {
      show(events);
      return { status: 0, attempts: 0, requests: 0 };
    },
  };
}

/** Authorization from the key or auth string, then the custom headers, which may replace it (as in Prefect). */
function commonHeaders(options: ClientOptions): Record<string, string> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  else if (options.authString) {
    headers.authorization = `Basic ${Buffer.from(options.authString).toString('base64')}`;
  }
  for (const [name, value] of Object.entries(options.customHeaders ?? {})) {
    const key = name.toLowerCase();
    if (!MANAGED_HEADERS.includes(key)) headers[key] = value;
  }
  return headers;
}

function postOnce(session: Session, url: URL, body: Buffer): Promise<Attempt> {
  const headers = {
    ...session.headers,
    'content-type': 'application/json',
    // Prefect Cloud answers 411 without it.
    'content-length': String(body.length),
    ...csrfHeaders(session.csrf),
  };
  return attemptOnce(session, 'POST', url, headers, body);
}

const refusedByCsrf = (attempt: Attempt) =>
  attempt.response !== undefined && isCsrfRefusal(attempt.response.status, attempt.response.body);

/** Marks a CSRF refusal, so the hint speaks of CSRF and not of credentials. */
function asCsrfFailure(attempt: Attempt, words: string): Attempt {
  return { ...attempt, words, result: { kind: 'answer', status: 403, fromProxy: false, csrf: true } };
}

/** Words that go on with more words: without the server's final full stop. */
const clause = (words: string) => words.replace(/\.$/, '');

/**
 * One POST; when a self-hosted server's CSRF protection refuses it, one new token and one more POST. Cloud
 * has no CSRF protection, so there a 403 is about the key.
 */
async function postWithCsrf(session: Session, url: URL, body: Buffer): Promise<Attempt> {
  const first = await postOnce(session, url, body);
  if (session.options.api.cloud || !refusedByCsrf(first)) return first;
  const client = newClientId();
  const token = tokenUrl(session.options.api.base, client);
  session.debug(
    `The server's CSRF protection refused the POST; asking ${token.origin}${token.pathname} for a token.`,
  );
  const fetched = await attemptOnce(session, 'GET', token, session.headers);
  const response = fetched.response;
  // The token request's own failure (a network error, 401, 503 …) is what the message and retries follow.
  if (!response || (response.status !== 200 && response.status !== 404 && response.status !== 422)) {
    return { ...fetched, words: `${clause(first.words)}, and the CSRF token request ${fetched.words}` };
  }
  const answer = readTokenAnswer(response.status, response.body, client);
  if (answer === 'disabled') {
    return asCsrfFailure(first, `${clause(first.words)}, yet its /csrf-token ${fetched.words}`);
  }
  if (!answer) {
    return asCsrfFailure(
      first,
      `${clause(first.words)}, and its /csrf-token ${fetched.words} without a token`,
    );
  }
  session.csrf = answer;
  session.secrets.push(answer.token);
  const second = await postOnce(session, url, body);
  return refusedByCsrf(second)
    ? asCsrfFailure(second, `even with a fresh CSRF token, ${second.words}`)
    : second;
}

/** Sends the events, split into requests under MAX_BODY_BYTES when they do not fit in one. */
export async function sendEvents(events: PrefectEvent[], options: ClientOptions): Promise<Delivery> {
  const session = openSession(options, 'POST');
  let emitted = 0;
  let attempts = 0;
  let requests = 0;
  for (const { body, count } of requestBodies(events, MAX_BODY_BYTES)) {
    const part = { first: emitted + 1, last: emitted + count, total: events.length };
    attempts += await deliverBody(session, body, part);
    emitted += count;
    requests++;
  }
  return { status: 204, attempts, requests };
}

/**
 * What every request to the server shares: the secrets to keep out of messages, the proxy (checked once),
 * the headers, and a CSRF token once one is fetched. `method` only words the errors about the proxy.
 */
export function openSession(options: ClientOptions, method: 'GET' | 'POST'): Session {
  const env = options.env ?? process.env;
  const secrets = secretsOf({
    ...options,
    proxyAuth: proxyCredentials(env),
    headerValues: Object.values(options.customHeaders ?? {}),
  });
  const debug = (message: string) => options.debug?.(redact(message, secrets));
  let proxy: ProxyChoice | undefined;
  try {
    proxy = proxyFor(options.api.events, env);
  } catch (error) {
    if (error instanceof ProxyConfigError) {
      throw new DeliveryError(redact(`${error.message} Nothing was sent.`, secrets));
    }
    throw error;
  }
  if (proxy && !nodeSupportsProxy()) {
    throw new DeliveryError(
      `${method} ${options.api.events.href} via proxy ${describeProxy(proxy.url)} cannot be made: Node ` +
        `${process.versions.node} on this runner cannot use a proxy (Node 24.5 or later can); update the ` +
        'runner, or list the Prefect host in NO_PROXY if it is reachable directly.',
    );
  }
  if (options.tls?.rejectUnauthorized === false && options.api.events.protocol === 'https:') {
    debug("TLS: the server's certificate is not verified (PREFECT_API_TLS_INSECURE_SKIP_VERIFY).");
  }
  return { options, proxy, headers: commonHeaders(options), secrets, debug };
}

/** One request, told in errors as `where` says, and what counts as its success. */
export interface Exchange {
  method: 'GET' | 'POST';
  url: URL;
  body?: Buffer;
  /** `POST https://…/events (events 1-20 of 40) via proxy …`: how messages name the request. */
  where: string;
  /** The status that means success: 204 for events, 200 for reads. */
  success: number;
  /**
   * Makes the error of a request that failed for good from its message, how its last attempt ended and the
   * server's Retry-After, if it gave one.
   */
  fail: (message: string, last: AttemptResult, retryAfterMs?: number) => Error;
}

/** One request with retries: the answer once its status is `success`; throws `fail(…)` otherwise. */
export async function exchange(
  session: Session,
  request: Exchange,
): Promise<{ response: HttpResponse; attempts: number }> {
  const { options, debug } = session;
  const { method, url, body, where } = request;
  const attempts = options.retries + 1;
  const maxPause = options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;
  const names = options.names ?? NEUTRAL_NAMES;
  for (let attempt = 1; ; attempt++) {
    const { response, words, result } =
      method === 'POST'
        ? await postWithCsrf(session, url, body ?? Buffer.alloc(0))
        : await attemptOnce(session, 'GET', url, session.headers);
    if (response?.status === request.success) {
      debug(`Attempt ${attempt}/${attempts}: ${where} answered ${request.success}.`);
      return { response, attempts: attempt };
    }
    debug(`Attempt ${attempt}/${attempts}: ${where} ${words}.`);
    const retryAfter = response ? retryAfterMs(response.headers['retry-after']) : undefined;
    const stop = whyStop(result, { attempt, attempts, retryAfter, maxPause, names });
    if (stop !== undefined) throw request.fail(`${where} ${words} ${stop}`.trim(), result, retryAfter);
    const pause = retryAfter ?? backoffMs(attempt, options.backoffMs ?? DEFAULT_BACKOFF_MS, maxPause);
    debug(`Retrying in ${(pause / 1000).toFixed(2)} s${retryAfter !== undefined ? ' (Retry-After)' : ''}.`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Delivers one request body with retries; returns the attempts it took, throws DeliveryError otherwise. */
async function deliverBody(
  session: Session,
  body: Buffer,
  part: { first: number; last: number; total: number },
): Promise<number> {
  const { options, proxy, secrets } = session;
  const emitted = part.first - 1;
  const split = part.last - emitted < part.total;
  const partial =
    emitted > 0 ? ` ${emitted} of ${part.total} events were emitted before this request failed.` : '';
  const fail = (message: string) => new DeliveryError(redact(`${message}${partial}`, secrets), emitted);
  const where =
    `POST ${options.api.events.href}${split ? ` (events ${part.first}-${part.last} of ${part.total})` : ''}` +
    `${proxy ? ` via proxy ${describeProxy(proxy.url)}` : ''}`;
  if (body.length > MAX_BODY_BYTES) {
    throw fail(
      `${where}: the request body is ${body.length} bytes, over Prefect Cloud's limit of ${MAX_BODY_BYTES} bytes; it was not sent.`,
    );
  }
  // Prefect's events API answers 204 and nothing else on success.
  const url = options.api.events;
  return (await exchange(session, { method: 'POST', url, body, where, success: 204, fail })).attempts;
}
