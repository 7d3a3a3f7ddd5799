// The credentials the client holds, in every form they may come back in, and their removal from text.

/** Everything a secret may come from: the server's credentials, a proxy's, and custom header values. */
export interface SecretSources {
  apiKey?: string;
  /** A self-hosted server's `user:password`. */
  authString?: string;
  /** `user:password` pairs sent as Basic credentials to a proxy (see net/proxy.ts proxyCredentials). */
  proxyAuth?: readonly string[];
  /** The values of PREFECT_CLIENT_CUSTOM_HEADERS: they often carry a gateway's token. */
  headerValues?: readonly string[];
}

// Shorter passwords are not registered alone: the runner would mask every common short word in the logs.
const MIN_PASSWORD_LENGTH = 4;

/** A `user:password` pair and the forms it travels in: Basic's base64, and the password alone. */
function basicForms(pair: string): string[] {
  const forms = [pair, Buffer.from(pair).toString('base64')];
  const colon = pair.indexOf(':');
  const password = colon < 0 ? pair : pair.slice(colon + 1);
  if (password.length >= MIN_PASSWORD_LENGTH && password !== pair) forms.push(password);
  return forms;
}

/** A header value, and its credentials alone when it has the `Scheme credentials` form of Authorization. */
function headerForms(value: string): string[] {
  const trimmed = value.trim();
  if (trimmed.length < MIN_PASSWORD_LENGTH) return [];
  const credentials = /^[A-Za-z][\w-]*\s+(\S.*)$/.exec(trimmed)?.[1];
  return credentials && credentials.length >= MIN_PASSWORD_LENGTH ? [trimmed, credentials] : [trimmed];
}

/** The secrets to keep out of every message: the key, the auth strings, and the forms they travel in. */
export function secretsOf(credentials: SecretSources): string[] {
  const secrets: string[] = [];
  if (credentials.apiKey) secrets.push(credentials.apiKey);
  if (credentials.authString) secrets.push(...basicForms(credentials.authString));
  for (const pair of credentials.proxyAuth ?? []) if (pair) secrets.push(...basicForms(pair));
  for (const value of credentials.headerValues ?? []) secrets.push(...headerForms(value));
  // A server may quote a secret inside JSON, where quotes and backslashes arrive escaped.
  const all = secrets.flatMap((secret) => {
    const escaped = JSON.stringify(secret).slice(1, -1);
    return escaped === secret ? [secret] : [secret, escaped];
  });
  return [...new Set(all)];
}

const REDACTED = '***';

/** Every occurrence of every secret replaced; the longest first, so a secret inside another goes too. */
export function redact(text: string, secrets: readonly string[]): string {
  return [...secrets]
    .sort((a, b) => b.length - a.length)
    .reduce((result, secret) => (secret ? result.split(secret).join(REDACTED) : result), text);
}

/**
 * The text cut to `max` characters with no part of a secret left: redacted whole first, then cut, then
 * any tail that starts a secret dropped (the text may itself be a truncated body ending in part of one).
 */
export function redactAndCut(text: string, secrets: readonly string[], max: number): string {
  const clean = redact(text, secrets);
  if (clean.length <= max) return clean;
  return `${dropSecretStart(clean.slice(0, max), secrets)}…`;
}

function dropSecretStart(text: string, secrets: readonly string[]): string {
  let keep = text.length;
  for (const secret of secrets) {
    for (let length = Math.min(secret.length - 1, text.length); length > 0; length--) {
      if (text.endsWith(secret.slice(0, length))) {
        keep = Math.min(keep, text.length - length);
        break;
      }
    }
  }
  return text.slice(0, keep);
}
