// The Prefect events client: POST {api-url}/events with retries, per-attempt timeouts and the proxy from
// the environment; errors carry the server's status and detail, never a credential. Knows nothing of GitHub.
import type { PrefectEvent } from './event/schema.ts';
import { builtin, nodeSupportsProxy, post, TimeoutError, type HttpResponse } from './http.ts';
import { describeProxy, proxyFor } from './proxy.ts';

// Prefect Cloud refuses bodies over 5 MiB with 413.
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
// Only these can succeed when tried again; any other answer fails at once.
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

export interface ClientOptions {
  /** The API base URL, without a trailing slash. */
  apiUrl: string;
  apiKey?: string;
  authString?: string;
  /** Extra attempts after the first, for failures that can succeed on retry. */
  retries: number;
  timeoutMs: number;
  /** First backoff pause; each later one doubles, with jitter. */
  backoffMs?: number;
  /** The longest pause between attempts, Retry-After included: it keeps the whole step finite. */
  maxPauseMs?: number;
  /** Proxy variables are read from here. */
  env?: NodeJS.ProcessEnv;
  debug?: (message: string) => void;
}

export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_MAX_PAUSE_MS = 30_000;

export interface Delivery {
  status: number;
  attempts: number;
}

/** The event was not accepted; the message says where it was sent, how often, and what came back. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

/** `{api-url}/events`; a trailing slash on the API URL does not matter. */
export function eventsEndpoint(apiUrl: string): URL {
  return new URL(`${apiUrl.replace(/\/+$/, '')}/events`);
}

/** The secrets to keep out of every message: the key, the auth string, and the forms they travel in. */
export function secretsOf(options: Pick<ClientOptions, 'apiKey' | 'authString'>): string[] {
  const secrets: string[] = [];
  if (options.apiKey) secrets.push(options.apiKey);
  if (options.authString) {
    secrets.push(options.authString, Buffer.from(options.authString).toString('base64'));
    const password = options.authString.slice(options.authString.indexOf(':') + 1);
    if (password.length >= 4) secrets.push(password);
  }
  // A server may quote a secret inside JSON, where quotes and backslashes arrive escaped.
  return secrets.flatMap((secret) => {
    const escaped = JSON.stringify(secret).slice(1, -1);
    return escaped === secret ? [secret] : [secret, escaped];
  });
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((result, secret) => result.split(secret).join('***'), text);
}

function authorization(options: ClientOptions): Record<string, string> {
  if (options.apiKey) return { authorization: `Bearer ${options.apiKey}` };
  if (options.authString) {
    return { authorization: `Basic ${Buffer.from(options.authString).toString('base64')}` };
  }
  return {};
}

type Outcome = { response: HttpResponse } | { failure: string; certificate: boolean };

// TLS verification failures: the same certificate comes back on every retry, so they fail at once.
const CERTIFICATE_ERRORS =
  /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID/;

/** Sends the events; resolves when the server accepts them, throws DeliveryError otherwise. */
export async function sendEvents(events: PrefectEvent[], options: ClientOptions): Promise<Delivery> {
  const url = eventsEndpoint(options.apiUrl);
  const body = Buffer.from(JSON.stringify(events), 'utf8');
  const secrets = secretsOf(options);
  const debug = (message: string) => options.debug?.(redact(message, secrets));
  if (body.length > MAX_BODY_BYTES) {
    throw new DeliveryError(
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
  const proxy = proxyFor(url, options.env ?? process.env);
  const where = `POST ${url.href}${proxy ? ` via proxy ${describeProxy(proxy)}` : ''}`;
  if (proxy && !nodeSupportsProxy()) {
    throw new DeliveryError(
      `${where} cannot be made: Node ${process.versions.node} on this runner cannot use a proxy (Node 24.5 or ` +
        'later can); update the runner, or list the Prefect host in NO_PROXY if it is reachable directly.',
    );
  }
  const attempts = options.retries + 1;

  for (let attempt = 1; ; attempt++) {
    let outcome: Outcome;
    try {
      outcome = { response: await post(url, headers, body, options.timeoutMs, proxy) };
    } catch (error) {
      const failure = describeNetworkError(error);
      outcome = { failure, certificate: CERTIFICATE_ERRORS.test(failure) };
    }
    // Prefect's events API answers 204 and nothing else on success.
    if ('response' in outcome && outcome.response.status === 204) {
      debug(`Attempt ${attempt}/${attempts}: ${where} answered 204.`);
      return { status: 204, attempts: attempt };
    }
    const answer =
      'response' in outcome
        ? // Redacted before detailOf cuts it short, so a cut cannot leave part of a secret behind.
          `answered ${statusLine(outcome.response.status)}${detailOf(redact(outcome.response.body, secrets))}`
        : `failed: ${outcome.failure}`;
    debug(`Attempt ${attempt}/${attempts}: ${where} ${answer}.`);

    const maxPause = options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;
    const retryAfter =
      'response' in outcome ? retryAfterMs(outcome.response.headers['retry-after']) : undefined;
    const stop = whyStop(outcome, { attempt, attempts, retryAfter, maxPause });
    if (stop !== undefined) throw new DeliveryError(redact(`${where} ${answer} ${stop}`.trim(), secrets));
    const pause = retryAfter ?? backoffMs(attempt, options.backoffMs ?? DEFAULT_BACKOFF_MS, maxPause);
    debug(`Retrying in ${(pause / 1000).toFixed(2)} s${retryAfter !== undefined ? ' (Retry-After)' : ''}.`);
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

interface Progress {
  attempt: number;
  attempts: number;
  retryAfter: number | undefined;
  maxPause: number;
}

/** Why an attempt that failed ends the delivery, as the closing words of the error; undefined: try again. */
function whyStop(
  outcome: Outcome,
  { attempt, attempts, retryAfter, maxPause }: Progress,
): string | undefined {
  const tried = `(${attempt} attempt${attempt === 1 ? '' : 's'}`;
  if ('certificate' in outcome && outcome.certificate) {
    return (
      `${tried}). The server's TLS certificate is not trusted: if it comes from a private CA or a ` +
      'TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at that CA (a PEM file).'
    );
  }
  const status = 'response' in outcome ? outcome.response.status : undefined;
  if (status !== undefined && status >= 200 && status < 300) {
    return (
      `${tried}), not the 204 of Prefect's events API, so the event was probably not stored: api-url may ` +
      'point at something else (a login page, a proxy, the UI instead of the API).'
    );
  }
  if (status !== undefined && !RETRYABLE_STATUSES.has(status)) return `${tried}). ${hintFor(status)}`;
  if (attempt >= attempts) return `${tried}, ${attempts > 1 ? 'retries exhausted' : 'retries: 0'}).`;
  if (retryAfter !== undefined && retryAfter > maxPause) {
    return (
      `${tried}) and asked to retry after ${Math.ceil(retryAfter / 1000)} s, ` +
      `longer than the ${maxPause / 1000} s this step waits between attempts.`
    );
  }
  return undefined;
}

/** Exponential backoff with jitter: half of each step is fixed, half random, so retries do not align. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const step = Math.min(baseMs * 2 ** (attempt - 1), maxMs);
  return Math.round(step / 2 + (random() * step) / 2);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(
  header: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date names a weekday; anything else (a negative number, garbage) is ignored, not read as a date.
  if (!/^[a-z]{3},/i.test(value)) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function statusLine(status: number): string {
  return `${status} ${builtin('node:http').STATUS_CODES[status] ?? ''}`.trim();
}

/** The server's own words: FastAPI's `detail`, Prefect's `exception_detail`, or the text, kept short. */
export function detailOf(body: string): string {
  let detail: unknown = body;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    detail = parsed.exception_detail ?? parsed.detail ?? parsed.exception_message ?? parsed.message ?? body;
  } catch {
    // not JSON: the text itself
  }
  const text = (typeof detail === 'string' ? detail : JSON.stringify(detail)).replace(/\s+/g, ' ').trim();
  if (text === '') return '';
  return `: ${text.length > 500 ? `${text.slice(0, 500)}…` : text}`;
}

function hintFor(status: number): string {
  switch (status) {
    case 401:
    case 403:
      return (
        'Check the credentials: for Prefect Cloud, api-key must be a valid API key for this account and ' +
        'workspace with the manage_events scope; for a self-hosted server, auth-string must be its "user:password".'
      );
    case 404:
      return (
        'Check api-url: for Prefect Cloud it is https://api.prefect.cloud/api/accounts/{account_id}/workspaces/{workspace_id}; ' +
        'for a self-hosted server it ends in /api, e.g. https://prefect.example.com/api.'
      );
    case 411:
      return 'The server wanted a Content-Length; a proxy between here and Prefect may have removed it.';
    case 413:
      return "The request is larger than the server accepts (Prefect Cloud's limit is 5 MiB): make the payload smaller.";
    case 422:
    case 400:
      return 'The server rejected the event as invalid.';
    default:
      return '';
  }
}

function describeNetworkError(error: unknown): string {
  if (error instanceof TimeoutError) return error.message;
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  const message = err.cause?.message ?? err.message ?? String(error);
  const text = code && !message.includes(code) ? `${code} ${message}` : message;
  return text.replace(/\s+/g, ' ').trim();
}
