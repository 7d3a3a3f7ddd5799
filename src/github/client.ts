// GitHub's REST API, read with a token over the action's one network stack (net/: the proxy variables,
// NO_PROXY, NODE_EXTRA_CA_CERTS, the attempt's deadline): GETs of JSON, retried when the answer can change
// (network errors, 408, 429, 5xx, rate limits), pages followed through the Link header. Prefect's client
// settings (custom headers, its certificate file, skipping TLS) are Prefect's and do not apply here. Knows
// nothing of Prefect nor of the action's inputs; the token never reaches a message.
import { describeNetworkError, isCertificateFailure, statusLine } from '../net/errors.ts';
import { nodeSupportsProxy, send, type HttpResponse } from '../net/http.ts';
import { describeProxy, proxyFor } from '../net/proxy.ts';
import {
  backoffMs,
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_PAUSE_MS,
  RETRYABLE_STATUSES,
  retryAfterMs,
} from '../net/retry.ts';

export interface GitHubOptions {
  /** GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
  apiUrl: URL;
  token: string;
  /** Extra attempts after the first, for answers that can change. */
  retries: number;
  /** The bound on each attempt, proxy set-up included. */
  timeoutMs: number;
  /** Proxy variables are read from here. */
  env: NodeJS.ProcessEnv;
  debug?: (message: string) => void;
  /** First backoff pause; each later one doubles, with jitter. */
  backoffMs?: number;
  /** The longest pause between attempts, a rate limit's wait included. */
  maxPauseMs?: number;
  /** The pause itself (tests pass one that does not wait). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** GitHub did not give what was asked; the message says what was asked, what came back and what to check. */
export class GitHubError extends Error {
  override name = 'GitHubError';
}

/** One page of an answer: its JSON, and the next page's URL when the Link header names one. */
export interface Page {
  body: unknown;
  next?: URL;
}

export interface GitHubClient {
  /** GETs a path under the API URL (`/repos/…`) or a URL GitHub gave (a next page). */
  get(path: string | URL): Promise<Page>;
}

// A page of 100 jobs with their steps is a few hundred kilobytes; far more is not an answer to read.
const MAX_PAGE_BYTES = 32 * 1024 * 1024;
const MAX_DETAIL_LENGTH = 300;
const USER_AGENT = 'emit-prefect-event';

export function createGitHubClient(options: GitHubOptions): GitHubClient {
  return { get: (path) => getJson(options, path) };
}

/** The URL of a path under the API's base, which may have a path of its own (GHES: /api/v3). */
function apiPath(apiUrl: URL, path: string): URL {
  return new URL(`${apiUrl.href.replace(/\/+$/, '')}${path}`);
}

async function getJson(options: GitHubOptions, path: string | URL): Promise<Page> {
  const url = typeof path === 'string' ? apiPath(options.apiUrl, path) : path;
  const hide = (text: string) => (options.token ? text.split(options.token).join('***') : text);
  const debug = (message: string) => options.debug?.(hide(message));
  const proxy = proxyFor(url, options.env);
  const where = `GET ${url.href}${proxy ? ` via proxy ${describeProxy(proxy.url)}` : ''}`;
  if (proxy && !nodeSupportsProxy()) {
    throw new GitHubError(
      `${where} cannot be made: Node ${process.versions.node} on this runner cannot use a proxy (Node 24.5 ` +
        'or later can); update the runner, or list the GitHub host in NO_PROXY if it is reachable directly.',
    );
  }
  const headers = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': USER_AGENT,
  };
  const attempts = options.retries + 1;
  const maxPause = options.maxPauseMs ?? DEFAULT_MAX_PAUSE_MS;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 1; ; attempt++) {
    const tried = `(${attempt} attempt${attempt === 1 ? '' : 's'}`;
    let response: HttpResponse;
    try {
      response = await send({
        method: 'GET',
        url,
        headers,
        timeoutMs: options.timeoutMs,
        proxy: proxy?.url,
        maxResponseBytes: MAX_PAGE_BYTES,
      });
    } catch (error) {
      const failure = describeNetworkError(error);
      debug(`Attempt ${attempt}/${attempts}: ${where} failed: ${failure}.`);
      if (isCertificateFailure(failure)) {
        throw new GitHubError(
          hide(
            `${where} failed: ${failure} ${tried}). GitHub's TLS certificate is not trusted: if it comes from a ` +
              'private CA or a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at that CA (a PEM file).',
          ),
        );
      }
      if (attempt >= attempts) throw new GitHubError(hide(`${where} failed: ${failure} ${tried}).`));
      await sleep(backoffMs(attempt, options.backoffMs ?? DEFAULT_BACKOFF_MS, maxPause));
      continue;
    }
    const { status } = response;
    if (status === 200) return { body: parseBody(response, where, hide), ...nextPage(response, url, where) };
    const words = `${where} answered ${statusLine(status)}${detailOf(response.body, hide)}`;
    debug(`Attempt ${attempt}/${attempts}: ${words}.`);
    const limited = rateLimitWait(response, now());
    if (limited === undefined && !RETRYABLE_STATUSES.has(status))
      throw new GitHubError(`${words} ${tried}). ${hintFor(status)}`.trim());
    if (attempt >= attempts) {
      throw new GitHubError(`${words} ${tried}, ${attempts > 1 ? 'retries exhausted' : 'retries: 0'}).`);
    }
    // The server's own wait wins over the backoff (DESIGN §4): a rate limit's, or a 5xx's Retry-After.
    const asked = limited ?? retryAfterMs(response.headers['retry-after'], now());
    const pause = asked ?? backoffMs(attempt, options.backoffMs ?? DEFAULT_BACKOFF_MS, maxPause);
    if (pause > maxPause) {
      throw new GitHubError(
        `${words} ${tried}): GitHub${limited !== undefined ? "'s rate limit" : ''} asks to wait ` +
          `${Math.ceil(pause / 1000)} s, longer than the ${maxPause / 1000} s this step waits between attempts; ` +
          'report the run again later.',
      );
    }
    const why = limited !== undefined ? ' (rate limit)' : asked !== undefined ? ' (Retry-After)' : '';
    debug(`Retrying in ${(pause / 1000).toFixed(2)} s${why}.`);
    await sleep(pause);
  }
}

/**
 * How long a rate-limited answer asks to wait, in ms; undefined when the answer is not about a rate limit.
 * GitHub says so with Retry-After (secondary limits, 429), or with x-ratelimit-remaining 0 and the epoch
 * second x-ratelimit-reset (primary limits, on a 403 or 429).
 */
function rateLimitWait(response: HttpResponse, nowMs: number): number | undefined {
  if (response.status !== 403 && response.status !== 429) return undefined;
  const after = retryAfterMs(response.headers['retry-after'], nowMs);
  if (after !== undefined) return after;
  const reset = Number(response.headers['x-ratelimit-reset']);
  if (response.headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset)) {
    return Math.max(0, reset * 1000 - nowMs);
  }
  // A secondary limit without either header: GitHub's advice is to wait at least a minute.
  if (/secondary rate limit/i.test(response.body)) return 60_000;
  return undefined;
}

function hintFor(status: number): string {
  if (status === 401)
    return 'GitHub did not accept the token: check that it is a valid token for this repository.';
  if (status === 403 || status === 404) {
    return (
      "The token may not read this repository's Actions: give the job `permissions: actions: read` (a " +
      'workflow that sets permissions, or a private repository, needs it), and check that the run id belongs ' +
      'to this repository.'
    );
  }
  return '';
}

/** GitHub's own words (`message`), short, on one line, without the token. */
function detailOf(body: string, hide: (text: string) => string): string {
  let detail = body;
  try {
    const message = (JSON.parse(body) as { message?: unknown } | null)?.message;
    if (typeof message === 'string') detail = message;
  } catch {
    // not JSON: the text itself
  }
  const text = hide(detail).replace(/\s+/g, ' ').trim();
  if (text === '') return '';
  return `: ${text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text}`;
}

function parseBody(response: HttpResponse, where: string, hide: (text: string) => string): unknown {
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    const type = response.headers['content-type'] ?? 'no content type';
    throw new GitHubError(
      hide(
        `${where} answered 200 with something that is not JSON (${type}): GITHUB_API_URL may not point at GitHub's API.`,
      ),
    );
  }
}

/**
 * The next page from `Link: <url>; rel="next", <url>; rel="last"`. A next page elsewhere than the page
 * that named it is refused: the token goes only to the API it was given for.
 */
function nextPage(response: HttpResponse, url: URL, where: string): { next?: URL } {
  const header = response.headers.link;
  const link = Array.isArray(header) ? header.join(', ') : (header ?? '');
  for (const match of link.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(match[2] ?? '')?.[1] ?? '';
    if (!rel.split(/\s+/).includes('next')) continue;
    let next: URL;
    try {
      next = new URL(match[1] ?? '', url);
    } catch {
      throw new GitHubError(`${where}: the Link header's next page is not a URL.`);
    }
    if (next.origin !== url.origin) {
      throw new GitHubError(
        `${where}: the Link header's next page is on ${next.origin}, not ${url.origin}; the token is sent to GitHub's API only.`,
      );
    }
    return { next };
  }
  return {};
}
