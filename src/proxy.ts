// Which proxy, if any, a request to a URL goes through: HTTPS_PROXY / HTTP_PROXY / NO_PROXY, the way curl
// and most tools on self-hosted runners read them (lowercase first).

/** The proxy URL for `target`, or undefined for a direct connection. */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const variable = target.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  // An empty lowercase variable does not hide a set uppercase one.
  const name = env[variable]?.trim() ? variable : variable.toUpperCase();
  const proxy = (env[name] ?? '').trim();
  if (proxy === '' || bypassesProxy(target, env.no_proxy?.trim() || env.NO_PROXY || '')) return undefined;
  try {
    // A bare host:port is common in these variables; it means an http proxy.
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`);
  } catch {
    throw new Error(`The proxy variable ${name} is not a URL.`);
  }
}

/**
 * NO_PROXY: comma- or space-separated hosts. `*` matches every host; `example.com`, `.example.com` and
 * `*.example.com` match the domain and its subdomains; `host:port` matches that port only. No CIDR ranges.
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
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
      const name = (match?.[1] ?? '').replace(/^\*?\./, '');
      if (match?.[2] && match[2] !== port) return false;
      return name !== '' && (host === name || host.endsWith(`.${name}`));
    });
}

/** The proxy as it may be logged: scheme, host and port, never its credentials. */
export function describeProxy(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}
