// One attempt of one request, and how it is told: the server's answer and detail, a proxy's refusal, or a
// network failure, as words for the message and as what retrying needs to know.
import { ProxyRefusedError, send, type HttpResponse } from '../net/http.ts';
import type { ProxyChoice } from '../net/proxy.ts';
import type { ClientOptions } from './client.ts';
import type { CsrfToken } from './csrf.ts';
import {
  describeNetworkError,
  detailOf,
  isCertificateFailure,
  NEUTRAL_NAMES,
  refusedHeader,
  statusLine,
} from './errors.ts';
import type { AttemptResult } from './retry.ts';

/** What every request of one delivery shares: where, how, the secrets to keep out, and the CSRF token. */
export interface Session {
  options: ClientOptions;
  proxy: ProxyChoice | undefined;
  /** Authorization, User-Agent and the custom headers: on the POSTs and on the CSRF token request. */
  headers: Record<string, string>;
  /** Grows when a CSRF token arrives, so it is redacted too. */
  secrets: string[];
  debug: (message: string) => void;
  csrf?: CsrfToken;
}

/** One attempt's outcome: the words for the message and what retrying needs to know. */
export interface Attempt {
  response?: HttpResponse;
  words: string;
  result: AttemptResult;
}

export async function attemptOnce(
  session: Session,
  method: 'GET' | 'POST',
  url: URL,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Attempt> {
  const { options, proxy, secrets } = session;
  try {
    const response = await send({
      method,
      url,
      headers,
      ...(body && { body }),
      timeoutMs: options.timeoutMs,
      proxy: proxy?.url,
      tls: options.tls,
      maxResponseBytes: options.maxResponseBytes,
    });
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
    const header = refusedHeader(error);
    if (header !== undefined) {
      return {
        words: `was not sent: ${headerSource(header, session)} holds a line break or another character an HTTP header cannot carry`,
        result: { kind: 'local' },
      };
    }
    const failure = describeNetworkError(error);
    return {
      words: `failed: ${failure}`,
      result: { kind: 'network', certificate: isCertificateFailure(failure) },
    };
  }
}

/**
 * Where a header Node refused came from, in the user's words, never its value: the CSRF token is the
 * server's, Authorization the API key's (an auth string travels as base64, which a header always carries).
 */
function headerSource(header: string, session: Session): string {
  if (header === 'prefect-csrf-token') return 'the CSRF token the server gave (from /csrf-token)';
  if (header === 'authorization' && session.options.apiKey) {
    return (session.options.names ?? NEUTRAL_NAMES).apiKey;
  }
  return header ? `the ${header} header` : 'a header';
}
