// Raw action inputs (and their PREFECT_* environment fallbacks) -> typed, validated settings.
// Every error is one sentence that names the input, and the label or index inside it.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod/mini';
import {
  describePath,
  isUuid,
  relatedResourceSchema,
  resourceSchema,
  MAX_EVENT_NAME_LENGTH,
  RESOURCE_ID,
  type EarlierEvent,
  type Labels,
} from './event.ts';
import { ApiUrlError, parseApiUrl as parsePrefectApiUrl } from './prefect/api.ts';

/** Reads one input as the runner passes it: trimmed, '' when not given. */
export type InputReader = (name: string) => string;

export interface Credentials {
  apiKey?: string;
  authString?: string;
}

export interface Settings extends Credentials {
  event: string;
  /** Absent: the workflow-run resource is the primary resource. */
  resource?: Labels;
  related: Labels[];
  payload: Record<string, unknown>;
  /** Where the payload came from, when it was a file: errors about its size name that input. */
  payloadFile?: string;
  occurred?: Date;
  id?: string;
  follows?: EarlierEvent;
  githubContext: boolean;
  /** Absent: nothing is sent, the step warns. No trailing slash. */
  apiUrl?: string;
  dryRun: boolean;
  failOnError: boolean;
  retries: number;
  timeoutMs: number;
  summary: boolean;
}

export const MAX_RETRIES = 10;
export const MAX_TIMEOUT_SECONDS = 300;

/** Thrown for a bad input; main fails the step with its message and sends nothing. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(input: string, problem: string) {
    super(`Input "${input}" ${problem}`);
  }
}

// Label values are strings on the wire; numbers and booleans given in JSON are taken in their string form.
const labelValue = z.pipe(
  z.union([z.string(), z.number(), z.boolean()], {
    error: 'must be a string, number or boolean (null, arrays and objects are not label values)',
  }),
  z.transform((value) => String(value)),
);
const labelsSchema = z.record(z.string(), labelValue, { error: 'must be a JSON object of labels' });
const relatedListSchema = z.array(z.pipe(labelsSchema, relatedResourceSchema), {
  error: 'must be a JSON array of resources',
});

function parseJson(input: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(input, `is not valid JSON: ${jsonProblem(error, text)}.`);
  }
}

/** V8's JSON errors give a position; people look for a line and a column. */
export function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  // "Unexpected token 'x', "<the whole text>" is not valid JSON" quotes the input and gives no position.
  const token = /^Unexpected token '(.*?)', (\.\.\.)?".*is not valid JSON$/s.exec(message)?.[1];
  const reason =
    token !== undefined
      ? `Unexpected token ${JSON.stringify(token)}`
      : message.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  const position =
    /position (\d+)/.exec(message)?.[1] ??
    (token !== undefined
      ? viablePrefixLength(text)
      : message.startsWith('Unexpected end')
        ? text.length
        : undefined);
  if (position === undefined) return reason;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column}`;
}

/** The length of the longest start of the text that valid JSON could begin with: where V8 stopped. */
function viablePrefixLength(text: string): number {
  const viable = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const at = /position (\d+)/.exec(message)?.[1];
      return message.startsWith('Unexpected end') || (at !== undefined && Number(at) >= length);
    }
  };
  let low = 0; // viable: the empty text is merely unfinished
  let high = text.length; // not viable: the whole text failed
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (viable(middle)) low = middle;
    else high = middle;
  }
  return low;
}

function check<T>(input: string, schema: z.ZodMiniType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${describePath(issue.path)}` : '';
  throw new InputError(input, `is invalid${where}: it ${issue?.message ?? 'does not match'}.`);
}

/** A JSON object of labels, a bare resource id, or `key=value` lines. */
export function parseResource(input: string, text: string): Labels {
  let labels: Labels;
  if (text.startsWith('{') || text.startsWith('[')) {
    labels = check(input, labelsSchema, parseJson(input, text));
  } else if (text.includes('=')) {
    labels = parseKeyValueLines(input, text);
  } else if (/\s/.test(text)) {
    throw new InputError(
      input,
      'must be a JSON object of labels, a bare resource id without spaces, or key=value lines.',
    );
  } else {
    labels = { [RESOURCE_ID]: text };
  }
  if (!labels[RESOURCE_ID]) {
    throw new InputError(
      input,
      `has no non-empty "${RESOURCE_ID}" label: give a bare id such as "acme.model.churn", ` +
        `a line "${RESOURCE_ID}=acme.model.churn", or a JSON object with that label.`,
    );
  }
  return check(input, resourceSchema, labels);
}

function parseKeyValueLines(input: string, text: string): Labels {
  const labels: Labels = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    const key = equals > 0 ? line.slice(0, equals).trim() : '';
    if (key === '') {
      throw new InputError(input, `line ${index + 1} is not a key=value line: "${line}".`);
    }
    labels[key] = line.slice(equals + 1).trim();
  });
  return labels;
}

export function parseRelated(input: string, text: string): Labels[] {
  if (text === '') return [];
  return check(input, relatedListSchema, parseJson(input, text));
}

/**
 * Numbers JSON allows but JavaScript cannot carry: integers past 2^53 would arrive rounded, and 1e400 as
 * null. Refused, so what Prefect stores is what was written.
 */
function checkNumbers(input: string, value: unknown, path: string[] = []): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
      const where = path.length > 0 ? ` at ${describePath(path)}` : '';
      throw new InputError(
        input,
        `holds a number${where} that JSON in JavaScript cannot carry exactly (${value}): write it as a string.`,
      );
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) checkNumbers(input, item, [...path, key]);
  }
}

function parseObject(input: string, text: string): Record<string, unknown> {
  const value = parseJson(input, text);
  checkNumbers(input, value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(input, `must be a JSON object, not ${describeJsonType(value)}.`);
  }
  return value as Record<string, unknown>;
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function readPayloadFile(input: string, path: string, workspace: string): Record<string, unknown> {
  const full = isAbsolute(path) ? path : resolve(workspace, path);
  let text: string;
  try {
    if (statSync(full).isDirectory()) throw new InputError(input, `names a directory, not a file: ${full}.`);
    // Windows PowerShell writes a byte order mark by default; it is not part of the JSON.
    text = readFileSync(full, 'utf8').replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(input, `names a file that ${why}: ${full}.`);
  }
  return parseObject(input, text);
}

// ISO 8601 date and time, with optional seconds, fraction and offset (a space may stand for the T).
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** An ISO 8601 timestamp; one without an offset is UTC, as Prefect reads it. */
export function parseTimestamp(input: string, text: string): Date {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) {
    throw new InputError(input, `must be an ISO 8601 timestamp such as 2026-01-31T12:00:00Z, not "${text}".`);
  }
  const [, year, month, day, hour, minute, second = '00', fraction = '', offset] = match;
  const zone =
    !offset || offset.toUpperCase() === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const millis = fraction && fraction.slice(0, 4).padEnd(4, '0'); // JavaScript dates keep milliseconds
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${zone}`);
  // Date silently rolls 2026-02-30 over to March; a timestamp that does not round-trip is not a real date.
  const roundTrip = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const sameDay =
    roundTrip.getUTCFullYear() === Number(year) &&
    roundTrip.getUTCMonth() === Number(month) - 1 &&
    roundTrip.getUTCDate() === Number(day);
  // Date also takes 24:00 (the next day's midnight); a timestamp of the day itself must stay on it.
  const realTime = Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60;
  if (Number.isNaN(date.getTime()) || !sameDay || !realTime) {
    throw new InputError(input, `is not a real date and time: "${text}".`);
  }
  return date;
}

function parseUuid(input: string, text: string): string {
  if (!isUuid(text)) {
    throw new InputError(
      input,
      `must be a UUID such as 0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f, not "${text}".`,
    );
  }
  return text.toLowerCase();
}

/** The `event` output of an earlier step (JSON, with `id` and `occurred`), or a bare event id. */
export function parseFollows(input: string, text: string): EarlierEvent {
  if (!text.startsWith('{')) return { id: parseUuid(input, text) };
  const earlier = parseObject(input, text);
  if (typeof earlier.id !== 'string' || !isUuid(earlier.id)) {
    throw new InputError(
      input,
      'holds JSON without a UUID "id": pass the "event" output of an earlier step.',
    );
  }
  const id = earlier.id.toLowerCase();
  if (earlier.occurred === undefined) return { id };
  if (typeof earlier.occurred !== 'string' || !ISO_DATE_TIME.test(earlier.occurred)) {
    throw new InputError(
      input,
      `holds an "occurred" that is not an ISO 8601 timestamp: ${JSON.stringify(earlier.occurred)}.`,
    );
  }
  return { id, occurred: parseTimestamp(input, earlier.occurred) };
}

export function parseBoolean(input: string, text: string): boolean {
  if (/^(true|yes|on|1)$/i.test(text)) return true;
  if (/^(false|no|off|0)$/i.test(text)) return false;
  throw new InputError(input, `must be true or false, not "${text}".`);
}

function parseNumber(input: string, text: string, min: number, max: number, integer: boolean): number {
  const value = Number(text);
  const kind = integer ? 'a whole number' : 'a number of seconds';
  const tooSmall = integer ? value < min : value <= min;
  if (
    text === '' ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    tooSmall ||
    value > max
  ) {
    const range = min === 0 && integer ? `from 0 to ${max}` : `more than 0 and at most ${max}`;
    throw new InputError(input, `must be ${kind} ${range}, not "${text}".`);
  }
  return value;
}

export function parseApiUrl(input: string, text: string): string {
  try {
    return parsePrefectApiUrl(text, { authString: 'auth-string' }).base;
  } catch (error) {
    if (error instanceof ApiUrlError) throw new InputError(input, error.message);
    throw error;
  }
}

/**
 * The API key or the auth string: an input wins over both environment variables, so a job-wide
 * PREFECT_API_KEY does not clash with an auth-string given to one step. Two at the same level do clash.
 */
export function readCredentials(read: InputReader, env: NodeJS.ProcessEnv): Credentials {
  const fromInputs = { apiKey: read('api-key'), authString: read('auth-string') };
  const fromEnv = {
    apiKey: (env.PREFECT_API_KEY ?? '').trim(),
    authString: (env.PREFECT_API_AUTH_STRING ?? '').trim(),
  };
  const chosen = fromInputs.apiKey || fromInputs.authString ? fromInputs : fromEnv;
  if (chosen.apiKey && chosen.authString) {
    const where = chosen === fromInputs ? 'inputs' : 'variables PREFECT_API_KEY and PREFECT_API_AUTH_STRING';
    throw new InputError(
      'api-key',
      `and "auth-string" are both set (as ${where}): use api-key for Prefect Cloud or auth-string for a ` +
        'self-hosted server, not both.',
    );
  }
  return {
    ...(chosen.apiKey && { apiKey: chosen.apiKey }),
    ...(chosen.authString && { authString: chosen.authString }),
  };
}

/** Reads and validates every input. Throws InputError for the first bad one. */
export function readSettings(read: InputReader, env: NodeJS.ProcessEnv): Settings {
  const orEnv = (input: string, variable: string) => read(input) || (env[variable] ?? '').trim();

  const event = read('event');
  if (event === '') throw new InputError('event', 'is required: name the event, e.g. "acme.model.deployed".');
  const eventLength = [...event].length; // characters as Prefect (Python) counts them, not UTF-16 units
  if (eventLength > MAX_EVENT_NAME_LENGTH) {
    throw new InputError(
      'event',
      `is ${eventLength} characters; Prefect allows at most ${MAX_EVENT_NAME_LENGTH}.`,
    );
  }

  const payloadText = read('payload');
  const payloadFile = read('payload-file');
  // action.yml defaults `payload` to {}, so only a different value conflicts with payload-file.
  if (payloadFile !== '' && payloadText.replace(/\s/g, '') !== '{}' && payloadText !== '') {
    throw new InputError('payload-file', 'cannot be used together with "payload": give one of them.');
  }
  const payload =
    payloadFile !== ''
      ? readPayloadFile('payload-file', payloadFile, env.GITHUB_WORKSPACE || process.cwd())
      : parseObject('payload', payloadText || '{}');

  const { apiKey, authString } = readCredentials(read, env);
  if (authString && !authString.includes(':')) {
    throw new InputError('auth-string', 'must have the form "user:password".');
  }
  const apiUrl = orEnv('api-url', 'PREFECT_API_URL');
  const resource = read('resource');
  const occurred = read('occurred');
  const id = read('id');
  const follows = read('follows');

  return {
    event,
    ...(resource !== '' && { resource: parseResource('resource', resource) }),
    related: parseRelated('related', read('related')),
    payload,
    ...(payloadFile !== '' && { payloadFile }),
    ...(occurred !== '' && { occurred: parseTimestamp('occurred', occurred) }),
    ...(id !== '' && { id: parseUuid('id', id) }),
    ...(follows !== '' && { follows: parseFollows('follows', follows) }),
    githubContext: parseBoolean('github-context', read('github-context') || 'true'),
    ...(apiUrl !== '' && { apiUrl: parseApiUrl('api-url', apiUrl) }),
    ...(apiKey && { apiKey }),
    ...(authString && { authString }),
    dryRun: parseBoolean('dry-run', read('dry-run') || 'false'),
    failOnError: parseBoolean('fail-on-error', read('fail-on-error') || 'true'),
    retries: parseNumber('retries', read('retries') || '3', 0, MAX_RETRIES, true),
    timeoutMs: parseNumber('timeout', read('timeout') || '10', 0, MAX_TIMEOUT_SECONDS, false) * 1000,
    summary: parseBoolean('summary', read('summary') || 'true'),
  };
}
