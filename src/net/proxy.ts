// Which proxy, if any, a request to a URL goes through: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, the way curl
// and most tools on self-hosted runners read them (lowercase first).

/** The proxy a request takes, and the variable it came from (for messages). */
export interface ProxyChoice {
  url: URL;
  variable: string;
}

/** A proxy variable this action cannot follow; the message names the variable, never its value. */
export class ProxyConfigError extends Error {
  override name = 'ProxyConfigError';
}

// Node's own proxy support speaks to http and https proxies only. Anything else (socks5, pac+http ...) it
// would skip without a word and connect directly, key and all.
const SUPPORTED_SCHEMES = new Set(['http:', 'https:']);

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;

/** The proxy for `target`, or undefined for a direct connection. Throws ProxyConfigError for one it cannot use. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): ProxyChoice | undefined {
  const variable = target.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  // An empty lowercase variable does not hide a set uppercase one.
  const name = env[variable]?.trim() ? variable : variable.toUpperCase();
  const proxy = (env[name] ?? '').trim();
  if (proxy === '' || bypassesProxy(target, env.no_proxy?.trim() || env.NO_PROXY || '')) return undefined;
  const url = parseProxyUrl(proxy);
  if (!url) throw new ProxyConfigError(`The proxy variable ${name} is not a URL.`);
  if (!SUPPORTED_SCHEMES.has(url.protocol)) {
    throw new ProxyConfigError(
      `The proxy variable ${name} names a ${url.protocol.slice(0, -1)} proxy, which cannot be used: give an ` +
        'http:// or https:// proxy URL, or list the Prefect host in NO_PROXY to connect directly.',
    );
  }
  return { url, variable: name };
}

function parseProxyUrl(text: string): URL | undefined {
  // Most runners set no proxy: an unset variable is no URL, without an Invalid URL error thrown and caught.
  if (text === '') return undefined;
  try {
    // A bare host:port is common in these variables; it means an http proxy.
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    return undefined;
  }
}

/**
 * The `user:password` of every proxy variable that holds one, as Node sends it (decoded) and as written
 * (percent-encoded), so the caller can mask both and they never reach a message.
 */
export function proxyCredentials(env: NodeJS.ProcessEnv): string[] {
  const pairs = new Set<string>();
  for (const name of PROXY_VARIABLES) {
    const url = parseProxyUrl((env[name] ?? '').trim());
    if (!url || (!url.username && !url.password)) continue;
    const encoded = url.password ? `${url.username}:${url.password}` : url.username;
    pairs.add(encoded);
    pairs.add(safeDecode(url.username) + (url.password ? `:${safeDecode(url.password)}` : ''));
    // A token given as the user name alone travels as `token:`.
    if (!url.password) pairs.add(`${safeDecode(url.username)}:`);
  }
  return [...pairs];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A host the way NO_PROXY entries are compared: lowercase, no trailing dot, IPv6 in its canonical form. */
function normalHost(host: string): string {
  const name = host
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.+$/, '');
  if (!name.includes(':')) return name;
  try {
    // The URL parser writes every spelling of an IPv6 address (0:0:0:0:0:0:0:1, ::1) the same way.
    return new URL(`http://[${name}]/`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return name;
  }
}

/**
 * NO_PROXY: comma- or space-separated hosts. `*` matches every host; `example.com`, `.example.com` and
 * `*.example.com` match the domain and its subdomains; `host:port` matches that port only. No CIDR ranges.
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = normalHost(target.hostname);
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((raw) => {
      const entry = raw.toLowerCase();
      if (entry === '*') return true;
      // [v6]:port, [v6], a bare v6 address (two colons or more: no port), or host[:port].
      const match =
        /^\[(.*)\](?::(\d+))?$/.exec(entry) ??
        (/:.*:/.test(entry) ? [entry, entry] : /^(.*?)(?::(\d+))?$/.exec(entry));
      const name = normalHost((match?.[1] ?? '').replace(/^\*?\./, ''));
      if (match?.[2] && match[2] !== port) return false;
      return name !== '' && (host === name || host.endsWith(`.${name}`));
    });
}

/** The proxy as it may be logged: scheme, host and port, never its credentials. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}
