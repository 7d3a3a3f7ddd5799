// Single-value inputs: booleans, bounded numbers, UUIDs, timestamps, `follows`, the API URL.
import { eventNameProblem, MAX_EVENT_NAME_LENGTH } from '../event/schema.ts';
import { isUuid } from '../event/uuid.ts';
import type { EarlierEvent } from '../event/follows.ts';
import { ParseError } from '../parse/error.ts';
import { ApiUrlError, parseApiUrl, type PrefectApi } from '../prefect/api.ts';
import { looksLikeTimestamp, parseTimestamp } from '../parse/time.ts';
import { InputError, quote } from './source.ts';
import { parseObject } from './values.ts';

export const MAX_RETRIES = 10;
export const MAX_TIMEOUT_SECONDS = 300;

export function parseBoolean(input: string, text: string): boolean {
  if (/^(true|yes|on|1)$/i.test(text)) return true;
  if (/^(false|no|off|0)$/i.test(text)) return false;
  throw new InputError(input, `must be true or false, not ${quote(text)}.`);
}

/** A whole number from `min` to `max`, or (not `integer`) a number of seconds above `min` up to `max`. */
export function parseNumber(input: string, text: string, min: number, max: number, integer: boolean): number {
  // Plain decimals only: Number() would also take 0x10, 0b1, 1e1 and Infinity.
  const plain = integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  const value = Number(text);
  const kind = integer ? 'a whole number' : 'a number of seconds';
  const tooSmall = integer ? value < min : value <= min;
  if (!plain.test(text) || tooSmall || value > max) {
    const range = min === 0 && integer ? `from 0 to ${max}` : `more than 0 and at most ${max}`;
    throw new InputError(input, `must be ${kind} ${range}, not ${quote(text)}.`);
  }
  return value;
}

export function parseUuid(input: string, text: string): string {
  if (!isUuid(text)) {
    throw new InputError(
      input,
      `must be a UUID such as 0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f, not ${quote(text)}.`,
    );
  }
  return text.toLowerCase();
}

/** An ISO 8601 timestamp; without an offset it is UTC, as Prefect reads it. */
export function parseTimestampInput(input: string, text: string): Date {
  try {
    return parseTimestamp(text);
  } catch (error) {
    throw error instanceof ParseError ? new InputError(input, `${error.message}.`) : error;
  }
}

/** The `event` output of an earlier step (JSON, with `id` and `occurred`), or a bare event id. */
export function parseFollows(input: string, text: string): EarlierEvent {
  if (!text.startsWith('{')) return { id: parseUuid(input, text) };
  return earlierEventOf(input, parseObject(input, text));
}

/** An already parsed `event` output of an earlier step (an item's `follows` object). */
export function earlierEventOf(input: string, earlier: Record<string, unknown>): EarlierEvent {
  if (typeof earlier.id !== 'string' || !isUuid(earlier.id)) {
    throw new InputError(
      input,
      'holds JSON without a UUID "id": pass the "event" output of an earlier step.',
    );
  }
  const id = earlier.id.toLowerCase();
  if (earlier.occurred === undefined) return { id };
  if (typeof earlier.occurred !== 'string' || !looksLikeTimestamp(earlier.occurred)) {
    throw new InputError(
      input,
      `holds an "occurred" that is not an ISO 8601 timestamp: ${quoteJson(earlier.occurred)}.`,
    );
  }
  return { id, occurred: parseTimestampInput(input, earlier.occurred) };
}

/** A JSON value as written, cut as `quote` cuts text: a string quoted, anything else as its JSON text. */
function quoteJson(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  const json = [...(JSON.stringify(value) ?? String(value))];
  return json.length > 80 ? `${json.slice(0, 80).join('')}…` : json.join('');
}

/**
 * An event name: 1 to 1024 characters, as Prefect counts them. `when` says, in the message about length,
 * what made the name that long (` once {status} is replaced`).
 */
export function parseEventName(input: string, event: string, when = ''): string {
  // Characters as Prefect (Python) counts them, not UTF-16 units; counted only when it could matter (a
  // name has no more code points than UTF-16 units): listing them costs a string a character.
  const length = event.length > MAX_EVENT_NAME_LENGTH ? [...event].length : event.length;
  if (length > MAX_EVENT_NAME_LENGTH) {
    throw new InputError(
      input,
      `is ${length} characters${when}; Prefect allows at most ${MAX_EVENT_NAME_LENGTH}.`,
    );
  }
  const problem = eventNameProblem(event);
  if (problem) throw new InputError(input, `${problem}.`);
  return event;
}

/** The API URL, parsed once for every use (endpoints, Cloud or self-hosted, UI links). */
export function parseApiUrlInput(input: string, text: string): PrefectApi {
  try {
    return parseApiUrl(text, { authString: 'auth-string' });
  } catch (error) {
    throw error instanceof ApiUrlError ? new InputError(input, error.message) : error;
  }
}
