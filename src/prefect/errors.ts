// What a failed delivery says: the server's own detail, kept short and free of secrets, and a hint that
// fits the cause. The caller's names for its settings go into the hints; this file knows none of its own.
import { redact, redactAndCut } from './secrets.ts';

// How any failed request is told is the network stack's, shared with GitHub's API.
export { describeNetworkError, isCertificateFailure, statusLine } from '../net/errors.ts';

/** The events were not all accepted; the message says where they went, how often, and what came back. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  /** Events the server had already accepted, in earlier requests of a split batch, before this failure. */
  readonly emittedCount: number;
  constructor(message: string, emittedCount = 0) {
    super(message);
    this.emittedCount = emittedCount;
  }
}

/** How the caller names its settings, for hints such as "check <apiKey>". */
export interface SettingNames {
  apiUrl: string;
  apiKey: string;
  authString: string;
}

export const NEUTRAL_NAMES: SettingNames = {
  apiUrl: 'the API URL',
  apiKey: 'the API key',
  authString: 'the auth string',
};

const MAX_DETAIL_LENGTH = 500;

/**
 * The server's own words: FastAPI's `detail`, Prefect's `exception_detail`, or the text, kept short. Secrets
 * are removed from the raw text and again after JSON decoding (a server may escape `&` as `\u0026`), before
 * the cut, so no part of one survives.
 */
export function detailOf(body: string, secrets: readonly string[] = []): string {
  if (body === '') return ''; // Prefect's 204: nothing to read, and nothing to compile for it
  const raw = redact(body, secrets);
  let detail: unknown = raw;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    detail = parsed.exception_detail ?? parsed.detail ?? parsed.exception_message ?? parsed.message ?? raw;
  } catch {
    // not JSON: the text itself
  }
  const decoded = typeof detail === 'string' ? detail : JSON.stringify(detail);
  const text = redact(decoded, secrets).replace(/\s+/g, ' ').trim();
  if (text === '') return '';
  return `: ${redactAndCut(text, secrets, MAX_DETAIL_LENGTH)}`;
}

/** A hint for an answer that is not retried; '' when there is nothing useful to add. */
export function hintFor(status: number, names: SettingNames, fromProxy = false): string {
  if (fromProxy) return proxyHint(status);
  switch (status) {
    case 301:
    case 302:
    case 303:
    case 307:
    case 308:
      return (
        `The server redirects the request elsewhere, and events are not sent on to another address: set ` +
        `${names.apiUrl} to the address it redirects to (often https:// instead of http://, or with the /api path).`
      );
    case 401:
    case 403:
      return (
        `Check the credentials: for Prefect Cloud, ${names.apiKey} must be a valid API key for this account and ` +
        `workspace with the manage_events scope; for a self-hosted server, ${names.authString} must be its "user:password".`
      );
    case 404:
      return (
        `Check ${names.apiUrl}: for Prefect Cloud it is https://api.prefect.cloud/api/accounts/{account_id}/workspaces/{workspace_id}; ` +
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

function proxyHint(status: number): string {
  if (status === 407) {
    return (
      'The proxy wants credentials it did not get or did not accept: check the user:password in the proxy ' +
      'variable (percent-encode @, : and / in them).'
    );
  }
  if (status === 502 || status === 504) {
    return (
      'The proxy could not reach the Prefect server: check that it may connect to that host and port, or ' +
      'list the host in NO_PROXY if it is reachable directly.'
    );
  }
  return 'The proxy refused the connection.';
}

/** The second sentence when a delivery has already shown the server a 2xx that is not Prefect's 204. */
export function not204Hint(names: SettingNames): string {
  return (
    `not the 204 of Prefect's events API, so the event was probably not stored: ${names.apiUrl} may ` +
    'point at something else (a login page, a proxy, the UI instead of the API).'
  );
}

/** A 403 from a self-hosted server's CSRF protection is about the token, not the credentials. */
export const CSRF_HINT =
  "This 403 comes from the server's CSRF protection (PREFECT_SERVER_CSRF_PROTECTION_ENABLED), not from the " +
  "credentials: a refused request gets a token from the server's /csrf-token and is sent once more, so check " +
  'that nothing between here and the server (a proxy, a gateway) removes the Prefect-Csrf-Token and ' +
  'Prefect-Csrf-Client headers or blocks /csrf-token.';

export const CERTIFICATE_HINT =
  "The server's TLS certificate is not trusted: if it comes from a private CA or a TLS-inspecting proxy, " +
  'point NODE_EXTRA_CA_CERTS or PREFECT_API_SSL_CERT_FILE at that CA (a PEM file).';

// What Node throws, before sending anything, for a header it cannot write: a value with a line break or
// another control character, or a name that is not an HTTP token. Its message names the header, not the value.
const HEADER_REFUSALS: ReadonlySet<string> = new Set(['ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN']);

/** The (lower-case) name of the header Node refused to send, or undefined for any other error. */
export function refusedHeader(error: unknown): string | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !HEADER_REFUSALS.has(code)) return undefined;
  return /\["([^"]*)"\]/.exec(String(message))?.[1]?.toLowerCase() ?? '';
}
