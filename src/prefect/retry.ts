// What is tried again and when: the retryable answers, the backoff, Retry-After, and the decision to stop.
import { RETRYABLE_STATUSES } from '../net/retry.ts';
import { CERTIFICATE_HINT, CSRF_HINT, hintFor, not204Hint, type SettingNames } from './errors.ts';

// The backoff and Retry-After are the network stack's, shared with GitHub's API.
export { backoffMs, DEFAULT_BACKOFF_MS, DEFAULT_MAX_PAUSE_MS, retryAfterMs } from '../net/retry.ts';

// A proxy refusing CONNECT: 407 (credentials) and 502 (cannot reach the server) give the same answer again.
const RETRYABLE_PROXY_STATUSES: ReadonlySet<number> = new Set([408, 429, 503, 504]);

/** How one attempt ended, as far as retrying is concerned. */
export type AttemptResult =
  | { kind: 'answer'; status: number; fromProxy: boolean; csrf?: boolean }
  | { kind: 'network'; certificate: boolean }
  // Refused here, before sending (a header Node cannot write): the same request is refused every time.
  | { kind: 'local' };

interface Progress {
  attempt: number;
  attempts: number;
  retryAfter: number | undefined;
  maxPause: number;
  names: SettingNames;
}

/** Why an attempt that failed ends the delivery, as the closing words of the error; undefined: try again. */
export function whyStop(result: AttemptResult, progress: Progress): string | undefined {
  const { attempt, attempts, retryAfter, maxPause, names } = progress;
  const tried = `(${attempt} attempt${attempt === 1 ? '' : 's'}`;
  if (result.kind === 'network' && result.certificate) return `${tried}). ${CERTIFICATE_HINT}`;
  if (result.kind === 'local') return `${tried}).`;
  if (result.kind === 'answer') {
    const { status, fromProxy } = result;
    if (!fromProxy && status >= 200 && status < 300) return `${tried}), ${not204Hint(names)}`;
    if (result.csrf) return `${tried}). ${CSRF_HINT}`;
    const retryable = fromProxy ? RETRYABLE_PROXY_STATUSES : RETRYABLE_STATUSES;
    if (!retryable.has(status)) return `${tried}). ${hintFor(status, names, fromProxy)}`.trim();
  }
  if (attempt >= attempts) return `${tried}, ${attempts > 1 ? 'retries exhausted' : 'retries: 0'}).`;
  if (retryAfter !== undefined && retryAfter > maxPause) {
    return (
      `${tried}) and asked to retry after ${Math.ceil(retryAfter / 1000)} s, ` +
      `longer than the ${maxPause / 1000} s this step waits between attempts.`
    );
  }
  return undefined;
}

/**
 * Whether what ended a request may pass by itself a while later (a network error, a 429, a 5xx from a
 * server or proxy being restarted), as opposed to what asks for a change (credentials, a certificate, a URL).
 */
export function mayPass(result: AttemptResult): boolean {
  if (result.kind === 'network') return !result.certificate;
  if (result.kind === 'local' || result.csrf) return false;
  return (result.fromProxy ? RETRYABLE_PROXY_STATUSES : RETRYABLE_STATUSES).has(result.status);
}
