// Calling the Prefect client against a stub: fast options, and the DeliveryError a failing call must end in.
import assert from 'node:assert/strict';
import { parseApiUrl } from '../../src/prefect/api.ts';
import type { ClientOptions } from '../../src/prefect/client.ts';
import { DeliveryError } from '../../src/prefect/errors.ts';

/** The action's names for its settings, for the client's messages; the client itself knows none. */
export const ACTION_INPUT_NAMES = { apiUrl: 'api-url', apiKey: 'api-key', authString: 'auth-string' };

/**
 * Options for the server at `target.apiUrl` (a stub): no retries, short pauses, and an empty environment, so
 * no proxy of the machine running the tests is used; `extra` over them (a test sets what it is about).
 */
export function stubClientOptions(
  target: { apiUrl: string },
  extra: Partial<ClientOptions> = {},
): ClientOptions {
  return { api: parseApiUrl(target.apiUrl), retries: 0, timeoutMs: 5000, backoffMs: 5, env: {}, ...extra };
}

/** The DeliveryError the delivery fails with; any other outcome fails the test. */
export async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => assert.fail('expected the delivery to fail'),
    (error: unknown) => error,
  );
  assert.ok(error instanceof DeliveryError, `expected a DeliveryError, got ${String(error)}`);
  return error;
}
