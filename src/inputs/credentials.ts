// The API key or the auth string, from inputs or PREFECT_* variables, and every secret to mask.
import { proxyCredentials } from '../net/proxy.ts';
import { secretsOf } from '../prefect/secrets.ts';
import { customHeaderValues } from './client-settings.ts';
import { InputError } from './source.ts';

/** Reads one input as the runner passes it: trimmed, '' when not given. */
export type InputReader = (name: string) => string;

export interface Credentials {
  apiKey?: string;
  authString?: string;
}

/**
 * An input wins over both environment variables, so a job-wide PREFECT_API_KEY does not clash with an
 * auth-string given to one step. Two at the same level do clash: Prefect's client would silently prefer one.
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
  if (chosen.authString && !chosen.authString.includes(':')) {
    throw new InputError('auth-string', 'must have the form "user:password".');
  }
  return {
    ...(chosen.apiKey && { apiKey: chosen.apiKey }),
    ...(chosen.authString && { authString: chosen.authString }),
  };
}

/**
 * Every credential given, as input or variable (proxy credentials and custom header values too), in every
 * form it may travel in: to be masked before anything is logged (the one in use is among them whichever
 * wins).
 */
export function credentialSecrets(read: InputReader, env: NodeJS.ProcessEnv): string[] {
  const variable = (name: string) => (env[name] ?? '').trim();
  return [
    ...new Set([
      ...secretsOf({ apiKey: read('api-key'), authString: read('auth-string') }),
      ...secretsOf({ apiKey: variable('PREFECT_API_KEY'), authString: variable('PREFECT_API_AUTH_STRING') }),
      // GitHub's token (workflow-run) is a bearer token, kept out of everything as an API key is.
      ...secretsOf({ apiKey: read('github-token') }),
      // Proxy passwords travel in Proxy-Authorization, and a proxy's error page may quote them.
      ...secretsOf({ proxyAuth: proxyCredentials(env) }),
      // PREFECT_CLIENT_CUSTOM_HEADERS often carries a gateway's token; every value is treated as one.
      ...secretsOf({ headerValues: customHeaderValues(env) }),
    ]),
  ];
}
