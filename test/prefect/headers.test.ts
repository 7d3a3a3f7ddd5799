// PREFECT_CLIENT_CUSTOM_HEADERS on the wire: sent on every request (the POST and the CSRF token request),
// Authorization replaceable as in Prefect, the headers the client manages kept, the values never in a message.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sendEvents, type ClientOptions } from '../../src/prefect/client.ts';
import { deliveryError, stubClientOptions } from '../support/client-options.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { sampleEvent } from '../support/sample-event.ts';

const SECRET = 'gw-token-7f3a9c2e';
const event = sampleEvent();

let stub: PrefectStub;
before(async () => (stub = await startPrefectStub([], undefined, { csrf: true })));
after(() => stub.close());
beforeEach(() => stub.reset());

const options = (extra: Partial<ClientOptions>) => stubClientOptions(stub, extra);

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
    const error = await deliveryError(
      sendEvents([event], options({ customHeaders: { 'X-Gateway-Token': SECRET } })),
    );
    assert.match(error.message, /answered 400 Bad Request: bad gateway token \*\*\*/);
    assert.ok(!error.message.includes(SECRET));
  });
});
