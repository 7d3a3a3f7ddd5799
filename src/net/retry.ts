// When a request is tried again, whichever API it goes to: the answers that can succeed on retry, the
// backoff between attempts, and the server's own Retry-After.

/** Only these answers can succeed when tried again; any other fails at once (DESIGN §4). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export const DEFAULT_BACKOFF_MS = 1000;
export const DEFAULT_MAX_PAUSE_MS = 30_000;

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
