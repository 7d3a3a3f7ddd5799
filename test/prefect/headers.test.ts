// PREFECT_CLIENT_CUSTOM_HEADERS on the wire: sent on every request (the POST and the CSRF token request),
// Authorization replaceable as in Prefect, the headers the client manages kept, the values never in a message.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { PrefectEvent } from '../../src/event/schema.ts';
import { parseApiUrl } from '../../src/prefect/api.ts';
import { sendEvents, type ClientOptions } from '../../src/prefect/client.ts';
import { DeliveryError } from '../../src/prefect/errors.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';

const SECRET = 'gw-token-7f3a9c2e';
const event: PrefectEvent = {
  occurred: '2025-06-01T12:00:00.000Z',
  event: 'acme.model.deployed',
  resource: { 'prefect.resource.id': 'acme.model.churn' },
  related: [],
  payload: {},
  id: '0190b7c8-3f1e-7a2b-8c4d-5e6f708192a3',
  follows: null,
};

let stub: PrefectStub;
before(async () => (stub = await startPrefectStub([], undefined, { csrf: true })));
after(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
  stub.script.length = 0;
  stub.csrfTokens.clear();
});

const options = (extra: Partial<ClientOptions>): ClientOptions => ({
  api: parseApiUrl(stub.apiUrl),
  retries: 0,
  timeoutMs: 5000,
  env: {},
  ...extra,
});

describe('custom headers', () => {
  test('go on every request: the POSTs and the CSRF token request', async () => {
    await sendEvents([event], options({ apiKey: 'pnu_k', customHeaders: { 'X-Gateway-Token': SECRET } }));
    assert.equal(stub.requests.length, 3);
    for (const request of stub.requests) {
      assert.equal(request.headers['x-gateway-token'], SECRET, `${request.method} ${request.url}`);
      assert.equal(request.headers.authorization, 'Bearer pnu_k');
      assert.equal(request.headers['user-agent'], 'emit-prefect-event');
    }
  });

  test('Authorization from custom headers replaces the key, as in Prefect', async () => {
    await sendEvents(
      [event],
      options({ apiKey: 'pnu_k', customHeaders: { authorization: 'Bearer gateway' } }),
    );
    assert.deepEqual(
      stub.requests.map((r) => r.headers.authorization),
      ['Bearer gateway', 'Bearer gateway', 'Bearer gateway'],
    );
  });

  test('the headers the client manages stay its own', async () => {
    await sendEvents(
      [event],
      options({
        customHeaders: {
          'User-Agent': 'mine',
          'Content-Length': '1',
          'Content-Type': 'text/plain',
          'Prefect-Csrf-Token': 'forged',
        },
      }),
    );
    const post = stub.requests[2];
    assert.equal(post?.headers['user-agent'], 'emit-prefect-event');
    assert.equal(post?.headers['content-type'], 'application/json');
    assert.equal(post?.headers['content-length'], String(Buffer.byteLength(post?.body ?? '')));
    assert.equal(post?.headers['prefect-csrf-token'], [...stub.csrfTokens.values()][0]);
    assert.deepEqual(JSON.parse(post?.body ?? ''), [event]);
  });

  test('a value the server echoes back is redacted from the message', async () => {
    // Past the CSRF check with a token, the server refuses and quotes the header.
    stub.script.push({ status: 400, body: JSON.stringify({ detail: `bad gateway token ${SECRET}` }) });
    const error = await sendEvents([event], options({ customHeaders: { 'X-Gateway-Token': SECRET } })).then(
      () => assert.fail('expected the delivery to fail'),
      (error: unknown) => error,
    );
    assert.ok(error instanceof DeliveryError);
    assert.match(error.message, /answered 400 Bad Request: bad gateway token \*\*\*/);
    assert.ok(!error.message.includes(SECRET));
  });
});
