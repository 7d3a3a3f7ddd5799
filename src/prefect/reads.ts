// Reading Prefect's API: GET and POST requests that answer 200 with JSON, over the same session as sending
// (credentials, custom headers, proxy, TLS, CSRF token, retries and Retry-After, secrets kept out of every
// message). One session for every read of a step, so a CSRF token is fetched once.
import { describeProxy } from '../net/proxy.ts';
import { exchange, openSession, type ClientOptions } from './client.ts';
import { mayPass, type AttemptResult } from './retry.ts';
import { redact } from './secrets.ts';

/** A read failed for good (after retries), or its answer was not the JSON asked for. */
export class ReadError extends Error {
  override name = 'ReadError';
  /** true when what failed it may pass by itself (a network error, 429, 5xx), so a later read may succeed. */
  readonly mayPass: boolean;
  /** How long the server asked to be left alone (Retry-After), when it did. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, mayPass = false, retryAfterMs?: number) {
    super(message);
    this.mayPass = mayPass;
    this.retryAfterMs = retryAfterMs;
  }
}

export interface PrefectReader {
  /** GET `{api}{path}`, or a full URL the server gave (a `next_page`), when it is on the API's origin. */
  get(pathOrUrl: string): Promise<unknown>;
  /** POST `{api}{path}` with a JSON body. */
  post(path: string, body: unknown): Promise<unknown>;
  /** Requests made so far (retries of one request count once). */
  readonly requests: number;
}

// A page of 50 automation events, each carrying a copy of the event that triggered it, outgrows the 64 KiB
// kept of an error's answer; this bounds what one answer may hold.
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export function createReader(options: ClientOptions): PrefectReader {
  const session = openSession({ ...options, maxResponseBytes: MAX_ANSWER_BYTES }, 'GET');
  const base = options.api.base;
  const fail = (message: string, last?: AttemptResult, retryAfterMs?: number) =>
    new ReadError(redact(message, session.secrets), last !== undefined && mayPass(last), retryAfterMs);
  let requests = 0;
  const read = async (method: 'GET' | 'POST', url: URL, body?: unknown): Promise<unknown> => {
    const where = `${method} ${url.origin}${url.pathname}${session.proxy ? ` via proxy ${describeProxy(session.proxy.url)}` : ''}`;
    requests++;
    const { response } = await exchange(session, {
      method,
      url,
      ...(body !== undefined && { body: Buffer.from(JSON.stringify(body), 'utf8') }),
      where,
      success: 200,
      fail,
    });
    try {
      return JSON.parse(response.body) as unknown;
    } catch {
      throw fail(`${where} answered 200 with a body that is not JSON.`);
    }
  };
  return {
    get: async (pathOrUrl) => {
      const url = /^https?:/i.test(pathOrUrl) ? new URL(pathOrUrl) : new URL(`${base}${pathOrUrl}`);
      // The credentials go to the API's own origin only, whatever a server's answer points at.
      if (url.origin !== new URL(base).origin) {
        throw fail(
          `The server pointed at ${url.origin}, which is not the API's origin; it was not followed.`,
        );
      }
      return read('GET', url);
    },
    post: (path, body) => read('POST', new URL(`${base}${path}`), body),
    get requests() {
      return requests;
    },
  };
}
