// Prefect's client settings from the environment, as Prefect's own client reads them, in this one place:
// PREFECT_CLIENT_CUSTOM_HEADERS, PREFECT_API_TLS_INSECURE_SKIP_VERIFY and PREFECT_API_SSL_CERT_FILE. Errors
// name the variable (and the header), never a header's value: those are often a gateway's token.
import type { TlsOptions } from '../net/http.ts';
import { ParseError } from '../parse/error.ts';
import { parseJson } from '../parse/json.ts';
import { MANAGED_HEADERS } from '../prefect/client.ts';
import { readBoundedFile } from './bounded-file.ts';
import { quote } from './source.ts';
import { describeJsonType } from './values.ts';

/** A Prefect client setting the action cannot follow; the message names the variable. */
export class ClientSettingError extends Error {
  override name = 'ClientSettingError';
}

export interface ClientSettings {
  /** PREFECT_CLIENT_CUSTOM_HEADERS without the headers the client manages; absent when none. */
  customHeaders?: Record<string, string>;
  /** Names PREFECT_CLIENT_CUSTOM_HEADERS gave that the client manages: ignored, as Prefect ignores them. */
  ignoredHeaders?: string[];
  /** For an https API: PREFECT_API_SSL_CERT_FILE's CAs, or no verification at all. */
  tls?: TlsOptions;
}

const HEADERS = 'PREFECT_CLIENT_CUSTOM_HEADERS';
const SKIP_VERIFY = 'PREFECT_API_TLS_INSECURE_SKIP_VERIFY';
const CERT_FILE = 'PREFECT_API_SSL_CERT_FILE';

const EXAMPLE = '{"X-Gateway-Token": "…"}';
// RFC 9110's token: what a header name may be made of.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// What Node (and HTTP) lets a header value carry: no line breaks, no other control characters, Latin-1.
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// Larger than any CA bundle (Mozilla's is about 250 kB); a wrong path to a huge file fails fast.
const MAX_CERT_FILE_BYTES = 10 * 1024 * 1024;

export function readClientSettings(env: NodeJS.ProcessEnv): ClientSettings {
  const { headers, ignored } = readCustomHeaders((env[HEADERS] ?? '').trim());
  const tls = readTls(env);
  return {
    ...(Object.keys(headers).length > 0 && { customHeaders: headers }),
    ...(ignored.length > 0 && { ignoredHeaders: ignored }),
    ...(tls && { tls }),
  };
}

/**
 * The values of PREFECT_CLIENT_CUSTOM_HEADERS, to mask before anything is logged; the whole text when it
 * does not parse (readClientSettings then fails, without quoting it).
 */
export function customHeaderValues(env: NodeJS.ProcessEnv): string[] {
  const text = (env[HEADERS] ?? '').trim();
  if (text === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object') return [text];
    return Object.values(value).filter((item): item is string => typeof item === 'string');
  } catch {
    return [text];
  }
}

function readCustomHeaders(text: string): { headers: Record<string, string>; ignored: string[] } {
  const headers: Record<string, string> = {};
  const ignored: string[] = [];
  if (text === '') return { headers, ignored };
  const value = parseHeadersJson(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ClientSettingError(
      `${HEADERS} must be a JSON object of header names and string values, e.g. ${EXAMPLE}, not ${describeJsonType(value)}.`,
    );
  }
  // HTTP header names ignore case: of two that differ only in case, one would silently replace the other.
  const seen = new Map<string, string>(); // lower case -> as written
  for (const [name, item] of Object.entries(value)) {
    const earlier = seen.get(name.toLowerCase());
    if (earlier !== undefined) {
      throw new ClientSettingError(
        `${HEADERS} has both ${quote(earlier)} and ${quote(name)}, one header (header names ignore case): give it once.`,
      );
    }
    seen.set(name.toLowerCase(), name);
    if (!HEADER_NAME.test(name)) {
      throw new ClientSettingError(
        `${HEADERS} has ${quote(name)}, which is not a header name: use letters, digits and - (no spaces or colons).`,
      );
    }
    if (typeof item !== 'string') {
      throw new ClientSettingError(
        `${HEADERS} gives header ${quote(name)} ${describeJsonType(item)}; header values must be JSON strings.`,
      );
    }
    const trimmed = item.trim();
    if (!HEADER_VALUE.test(trimmed)) {
      throw new ClientSettingError(
        `${HEADERS} gives header ${quote(name)} a value with a line break or another character a header ` +
          'cannot carry (control characters, or beyond Latin-1).',
      );
    }
    if (MANAGED_HEADERS.includes(name.toLowerCase())) ignored.push(name);
    else headers[name] = trimmed;
  }
  return { headers, ignored };
}

/** The JSON, or an error with the position only: V8's own message would quote the text, secrets and all. */
function parseHeadersJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    let where = '';
    try {
      parseJson(text);
    } catch (error) {
      const at = error instanceof ParseError ? error.position : undefined;
      if (at) where = ` (at line ${at.line}, column ${at.column})`;
    }
    throw new ClientSettingError(
      `${HEADERS} is not valid JSON${where}: give a JSON object of header names and string values, e.g. ${EXAMPLE}.`,
    );
  }
}

/** Prefect's truth values (pydantic's): 1/0, true/false, yes/no, on/off, t/f, y/n, in any case. */
function readFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '' || ['0', 'false', 'no', 'off', 'f', 'n'].includes(text)) return false;
  if (['1', 'true', 'yes', 'on', 't', 'y'].includes(text)) return true;
  throw new ClientSettingError(`${name} must be true or false, not ${quote(env[name] ?? '')}.`);
}

/** As Prefect: skipping verification wins over a CA file, and a CA file replaces the default CAs. */
function readTls(env: NodeJS.ProcessEnv): TlsOptions | undefined {
  if (readFlag(env, SKIP_VERIFY)) return { rejectUnauthorized: false };
  const path = (env[CERT_FILE] ?? '').trim();
  if (path === '') return undefined;
  const problem = (what: string) =>
    new ClientSettingError(
      `${CERT_FILE} names ${quote(path)}, which ${what}: give the path of a PEM file of CA certificates.`,
    );
  const ca = readBoundedFile(path, MAX_CERT_FILE_BYTES);
  if (typeof ca !== 'string') {
    if (ca.problem === 'cannot read') throw problem(`cannot be read (${ca.code})`);
    if (ca.problem === 'too large') {
      const size = ca.size ?? `more than ${MAX_CERT_FILE_BYTES}`;
      throw problem(`is ${size} bytes, more than any CA bundle`);
    }
    // A FIFO or a device would hold the step open, reading.
    throw problem('is not a file');
  }
  if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw problem('holds no PEM certificate');
  return { ca };
}
