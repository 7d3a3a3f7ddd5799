// The Prefect events client: POST {api}/events with retries, per-attempt timeouts and the proxy from the
// environment; errors carry the server's status and detail, never a credential. A dry-run client has the
// same interface and prints instead. Knows nothing of GitHub nor of the action's input names.
import type { PrefectEvent } from '../event/schema.ts';
import { nodeSupportsProxy, post, ProxyRefusedError, type HttpResponse } from '../net/http.ts';
import {
  describeProxy,
  ProxyConfigError,
  proxyCredentials,
  proxyFor,
  type ProxyChoice,
} from '../net/proxy.ts';
import type { PrefectApi } from './api.ts';
import {
  DeliveryError,
  describeNetworkError,
  detailOf,
  isCertificateFailure,
  NEUTRAL_NAMES,
  statusLine,
  type SettingNames,
} from './errors.ts';
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

export interface Delivery {
  /** 204 when sent; 0 from the dry-run client, which sends nothing. */
  status: number;
  attempts: number;
}

export interface EventsClient {
  /** Resolves when the server accepts the events; throws DeliveryError otherwise. */
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
}

export function createHttpClient(options: ClientOptions): EventsClient {
  return { send: (events) => sendEvents(events, options) };
}

/** Prints each event as it would be sent, and sends nothing. */
export function createDryRunClient(print: (line: string) => void): EventsClient {
  return {
    send: async (events) => {
      print(`Dry run: ${events.length} event${events.length === 1 ? '' : 's'} would be sent:`);
      for (const event of events) print(JSON.stringify(event, null, 2));
      return { status: 0, attempts: 0 };
    },
  };
}

function authorization(options: ClientOptions): Record<string, string> {
  if (options.apiKey) return { authorization: `Bearer ${options.apiKey}` };
  if (options.authString) {
    return { authorization: `Basic ${Buffer.from(options.authString).toString('base64')}` };
  }
  return {};
}

/** One attempt's outcome: the words for the message and what retrying needs to know. */
interface Attempt {
  response?: HttpResponse;
  words: string;
  result: AttemptResult;
}

async function attemptOnce(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  options: ClientOptions,
  proxy: ProxyChoice | undefined,
  secrets: readonly string[],
): Promise<Attempt> {
  try {
    const response = await post(url, headers, body, options.timeoutMs, proxy?.url);
    const detail = detailOf(response.body, secrets);
    // A forwarded request's 407 is the proxy's own answer: the server never saw the request.
    if (proxy && response.status === 407) {
      return {
        response,
        words: `failed: the proxy answered ${statusLine(407)}${detail}`,
        result: { kind: 'answer', status: 407, fromProxy: true },
      };
    }
    return {
      response,
      words: `answered ${statusLine(response.status)}${detail}`,
      result: { kind: 'answer', status: response.status, fromProxy: false },
    };
  } catch (error) {
    if (error instanceof ProxyRefusedError) {
      return {
        words: `failed: the proxy answered CONNECT with ${statusLine(error.status)}`,
        result: { kind: 'answer', status: error.status, fromProxy: true },
      };
    }
    const failure = describeNetworkError(error);
    return {
      words: `failed: ${failure}`,
      result: { kind: 'network', certificate: isCertificateFailure(failure) },
    };
  }
}

/** Sends the events; resolves when the server accepts them, throws DeliveryError otherwise. */
export async function sendEvents(events: PrefectEvent[], options: ClientOptions): Promise<Delivery> {
  const url = options.api.events;
  const env = options.env ?? process.env;
  const body = Buffer.from(JSON.stringify(events), 'utf8');
  const secrets = secretsOf({ ...options, proxyAuth: proxyCredentials(env) });
  const debug = (message: string) => options.debug?.(redact(message, secrets));
  const fail = (message: string) => new DeliveryError(redact(message, secrets));
  if (body.length > MAX_BODY_BYTES) {
    throw fail(
      `The request body is ${body.length} bytes, over Prefect Cloud's limit of ${MAX_BODY_BYTES} bytes; nothing was sent.`,
    );
  }
  const headers = {
    'content-type': 'application/json',
    // Prefect Cloud answers 411 without it.
    'content-length': String(body.length),
    'user-agent': 'emit-prefect-event',
    ...authorization(options),
  };
  let proxy: ProxyChoice | undefined;
  try {
    proxy = proxyFor(url, env);
  } catch (error) {
    if (error instanceof ProxyConfigError) throw fail(`${error.message} Nothing was sent.`);
    throw error;
  }
  const where = `POST ${url.href}${proxy ? ` via proxy ${describeProxy(proxy.url)}` : ''}`;
  if (proxy && !nodeSupportsProxy()) {
    throw fail(
      `${where} cannot be made: Node ${process.versions.node} on this runner cannot use a proxy (Node 24.5 or ` +
        'later can); update the runner, or list the Prefect host in NO_PROXY if it is reachable directly.',
    );
  }
  const attempts = options.retries + 1;
  const maxPause = options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;

  for (let attempt = 1; ; attempt++) {
    const { response, words, result } = await attemptOnce(url, headers, body, options, proxy, secrets);
    // Prefect's events API answers 204 and nothing else on success.
    if (response?.status === 204) {
      debug(`Attempt ${attempt}/${attempts}: ${where} answered 204.`);
      return { status: 204, attempts: attempt };
    }
    debug(`Attempt ${attempt}/${attempts}: ${where} ${words}.`);
    const retryAfter = response ? retryAfterMs(response.headers['retry-after']) : undefined;
    const names = options.names ?? NEUTRAL_NAMES;
    const stop = whyStop(result, { attempt, attempts, retryAfter, maxPause, names });
    if (stop !== undefined) throw fail(`${where} ${words} ${stop}`.trim());
    const pause = retryAfter ?? backoffMs(attempt, options.backoffMs ?? DEFAULT_BACKOFF_MS, maxPause);
    debug(`Retrying in ${(pause / 1000).toFixed(2)} s${retryAfter !== undefined ? ' (Retry-After)' : ''}.`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
