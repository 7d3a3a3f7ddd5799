// CSRF protection on self-hosted Prefect servers (PREFECT_SERVER_CSRF_PROTECTION_ENABLED): a POST must carry
// a token the server issued for a client id we choose, from `GET {api}/csrf-token?client={id}`.
//
// Prefect's own client fetches the token before its first POST, which a long-lived client pays once. This
// action makes one POST a run, and most servers have no CSRF protection (it is off by default, and Cloud has
// none), so the token is fetched only after the server refuses a POST for want of one: a server without CSRF
// costs nothing, a server with it one GET and one more POST.

import { randomUuid } from '../event/uuid.ts';

const CSRF_TOKEN_HEADER = 'prefect-csrf-token';
const CSRF_CLIENT_HEADER = 'prefect-csrf-client';

/** What the server's CSRF middleware says with its 403: a missing token or client id, or one it rejects. */
const CSRF_REFUSAL = /Missing CSRF token|Invalid CSRF token|Missing client identifier/i;

/** Whether an answer is the CSRF middleware refusing the request (and not, say, a key without a scope). */
export function isCsrfRefusal(status: number, body: string): boolean {
  return status === 403 && CSRF_REFUSAL.test(body);
}

/** The token the server issued and the client id it was issued for; both go on each POST. */
export interface CsrfToken {
  token: string;
  client: string;
}

export function csrfHeaders(token: CsrfToken | undefined): Record<string, string> {
  return token ? { [CSRF_TOKEN_HEADER]: token.token, [CSRF_CLIENT_HEADER]: token.client } : {};
}

/** `{api}/csrf-token?client={id}` for a fresh client id. */
export function tokenUrl(base: string, client: string): URL {
  const url = new URL(`${base}/csrf-token`);
  url.searchParams.set('client', client);
  return url;
}

/**
 * A new client id: any string the server can key a token on; a UUID, as Prefect's client uses. From the ids'
 * random bytes (event/uuid.ts): globalThis.crypto would load Node's Web Crypto modules for it.
 */
export function newClientId(): string {
  return randomUuid();
}

/**
 * The token endpoint's answer: a token; `disabled` when the server has no CSRF protection (404 from servers
 * older than it, 422 "CSRF protection is disabled." when it is off); undefined for any other answer.
 */
export function readTokenAnswer(
  status: number,
  body: string,
  client: string,
): CsrfToken | 'disabled' | undefined {
  if (status === 404 || (status === 422 && /CSRF protection is disabled/i.test(body))) return 'disabled';
  if (status !== 200) return undefined;
  try {
    const answer = JSON.parse(body) as { token?: unknown; client?: unknown };
    if (typeof answer.token !== 'string' || answer.token === '') return undefined;
    return { token: answer.token, client: typeof answer.client === 'string' ? answer.client : client };
  } catch {
    return undefined;
  }
}
