// CSRF protection on a self-hosted server, against the stub playing Prefect's middleware and /csrf-token
// route: the token is fetched only when the server asks for one, reused for the rest of the batch, refreshed
// once when refused, and a refusal that persists is named as CSRF, not as credentials.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { PrefectEvent } from '../../src/event/schema.ts';
import { parseApiUrl } from '../../src/prefect/api.ts';
import { sendEvents, type ClientOptions } from '../../src/prefect/client.ts';
import { ACTION_INPUT_NAMES, deliveryError, stubClientOptions } from '../support/client-options.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { numberedEvent, sampleEvent } from '../support/sample-event.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const options = (stub: PrefectStub, extra: Partial<ClientOptions> = {}): ClientOptions =>
  stubClientOptions(stub, {
    authString: 'admin:s3cret-pass',
    retries: 2,
    names: ACTION_INPUT_NAMES,
    ...extra,
  });

/** Each request as `METHOD path`, the query's client id shown as {id}. */
const trail = (stub: PrefectStub) =>
  stub.requests.map((r) => `${r.method} ${r.url.replace(/client=[^&]+/, 'client={id}')}`);

describe('CSRF: a server with CSRF protection', () => {
  let stub: PrefectStub;
  before(async () => (stub = await startPrefectStub([], undefined, { csrf: true })));
  after(() => stub.close());
  beforeEach(() => stub.reset());

  test('the refused POST is followed by a token request and the event arrives with the CSRF headers', async () => {
    const event = sampleEvent();
    const delivery = await sendEvents([event], options(stub));
    assert.deepEqual(delivery, { status: 204, attempts: 1, requests: 1 });
    assert.deepEqual(trail(stub), [
      'POST /api/events',
      'GET /api/csrf-token?client={id}',
      'POST /api/events',
    ]);
    const [, get, post] = stub.requests;
    const client = new URL(get?.url ?? '', 'http://x').searchParams.get('client') ?? '';
    assert.match(client, UUID);
    assert.equal(post?.headers['prefect-csrf-client'], client);
    assert.equal(post?.headers['prefect-csrf-token'], stub.csrfTokens.get(client));
    assert.deepEqual(JSON.parse(post?.body ?? ''), [event]);
    // The token request is authenticated like the POST.
    assert.equal(get?.headers.authorization, `Basic ${Buffer.from('admin:s3cret-pass').toString('base64')}`);
  });

  test('the token is fetched once and reused by every request of a split batch', async () => {
    const events = Array.from({ length: 8 }, (_, i) => numberedEvent(i + 1, 900_000));
    const delivery = await sendEvents(events, options(stub));
    assert.equal(delivery.requests, 2);
    assert.deepEqual(trail(stub), [
      'POST /api/events',
      'GET /api/csrf-token?client={id}',
      'POST /api/events',
      'POST /api/events',
    ]);
    assert.equal(
      stub.requests[3]?.headers['prefect-csrf-token'],
      stub.requests[2]?.headers['prefect-csrf-token'],
    );
  });

  test('a token that became invalid ("Invalid CSRF token") is refreshed once and the request repeated', async () => {
    const events = Array.from({ length: 8 }, (_, i) => numberedEvent(i + 1, 900_000));
    // The first request is accepted, then every token the server issued expires.
    stub.script.push(() => {
      stub.csrfTokens.clear();
      return { status: 204 };
    });
    const delivery = await sendEvents(events, options(stub));
    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 2 });
    assert.deepEqual(trail(stub), [
      'POST /api/events',
      'GET /api/csrf-token?client={id}',
      'POST /api/events',
      'POST /api/events',
      'GET /api/csrf-token?client={id}',
      'POST /api/events',
    ]);
    const [first, second] = [stub.requests[2], stub.requests[5]].map((r) => r?.headers['prefect-csrf-token']);
    assert.notEqual(first, second);
    const ns = (i: number) => (JSON.parse(stub.requests[i]?.body ?? '') as PrefectEvent[]).map((e) => e.id);
    assert.deepEqual(
      [ns(2), ns(3), ns(5)],
      [
        [1, 2, 3, 4, 5],
        [6, 7, 8],
        [6, 7, 8],
      ].map((n) => n.map((k) => events[k - 1]?.id)),
    );
  });

  test('a token request refused for credentials gets the credentials hint, not the CSRF one', async () => {
    stub.csrfTokenScript.push({ status: 401, body: '{"detail":"Unauthorized"}' });
    const error = await deliveryError(sendEvents([sampleEvent()], options(stub)));
    assert.deepEqual(trail(stub), ['POST /api/events', 'GET /api/csrf-token?client={id}']);
    assert.match(
      error.message,
      /answered 403 Forbidden: Missing CSRF token, and the CSRF token request answered 401 Unauthorized: Unauthorized \(1 attempt\)\. Check the credentials: .*auth-string must be its "user:password"\.$/,
    );
  });

  test('a token request that fails for a moment is retried with the POST', async () => {
    stub.csrfTokenScript.push({ status: 503 });
    const delivery = await sendEvents([sampleEvent()], options(stub));
    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 1 });
    assert.deepEqual(trail(stub), [
      'POST /api/events',
      'GET /api/csrf-token?client={id}',
      'POST /api/events',
      'GET /api/csrf-token?client={id}',
      'POST /api/events',
    ]);
  });

  test('a token a header cannot carry (a line break) fails at once, naming it, never quoting it', async () => {
    const token = 'tok-5e1b7f\r\nX-Injected: 1';
    stub.csrfTokenScript.push({
      status: 200,
      body: JSON.stringify({ token, expiration: '2099-01-01T00:00:00Z' }),
    });
    const messages: string[] = [];
    const error = await deliveryError(
      sendEvents([sampleEvent()], options(stub, { debug: (m) => messages.push(m) })),
    );
    // Node refuses the header before sending: no POST with it, and no retry (retries: 2) of what cannot change.
    assert.deepEqual(trail(stub), ['POST /api/events', 'GET /api/csrf-token?client={id}']);
    assert.match(
      error.message,
      /^POST http:\/\/127\.0\.0\.1:\d+\/api\/events was not sent: the CSRF token the server gave \(from \/csrf-token\) holds a line break or another character an HTTP header cannot carry \(1 attempt\)\.$/,
    );
    for (const text of [error.message, ...messages]) assert.ok(!text.includes('tok-5e1b7f'), text);
  });

  test('a refusal that persists with a fresh token fails at once, naming CSRF and not the credentials', async () => {
    stub.csrfRefusesAll = true;
    const messages: string[] = [];
    const error = await deliveryError(
      sendEvents([sampleEvent()], options(stub, { debug: (m) => messages.push(m) })),
    );
    assert.deepEqual(trail(stub), [
      'POST /api/events',
      'GET /api/csrf-token?client={id}',
      'POST /api/events',
    ]);
    assert.match(
      error.message,
      /^POST http:\/\/127\.0\.0\.1:\d+\/api\/events even with a fresh CSRF token, answered 403 Forbidden: Invalid CSRF token or client identifier\. \(1 attempt\)\. This 403 comes from the server's CSRF protection \(PREFECT_SERVER_CSRF_PROTECTION_ENABLED\), not from the credentials: .*Prefect-Csrf-Token and Prefect-Csrf-Client headers or blocks \/csrf-token\.$/,
    );
    assert.doesNotMatch(error.message, /auth-string|api-key/);
    // The token never reaches a message.
    const token = [...stub.csrfTokens.values()][0] ?? '';
    assert.ok(token.length > 0);
    for (const text of [error.message, ...messages]) assert.ok(!text.includes(token), text);
  });
});

describe('CSRF: servers without it', () => {
  let stub: PrefectStub;
  before(async () => (stub = await startPrefectStub()));
  after(() => stub.close());
  beforeEach(() => stub.reset());

  test('a server without CSRF protection gets exactly one request and no CSRF header', async () => {
    await sendEvents([sampleEvent()], options(stub));
    assert.deepEqual(trail(stub), ['POST /api/events']);
    assert.equal(stub.requests[0]?.headers['prefect-csrf-token'], undefined);
  });

  test('a 403 that is not about CSRF gets the credentials hint, with no token request', async () => {
    stub.script.push({ status: 403, body: '{"detail":"Not authorized"}' });
    const error = await deliveryError(sendEvents([sampleEvent()], options(stub)));
    assert.deepEqual(trail(stub), ['POST /api/events']);
    assert.match(
      error.message,
      /answered 403 Forbidden: Not authorized \(1 attempt\)\. Check the credentials/,
    );
  });

  test('a CSRF refusal while /csrf-token says CSRF is disabled fails naming CSRF', async () => {
    stub.script.push({ status: 403, body: '{"detail":"Missing CSRF token."}' });
    const error = await deliveryError(sendEvents([sampleEvent()], options(stub)));
    assert.deepEqual(trail(stub), ['POST /api/events', 'GET /api/csrf-token?client={id}']);
    assert.match(
      error.message,
      /answered 403 Forbidden: Missing CSRF token, yet its \/csrf-token answered 422 Unprocessable Entity: CSRF protection is disabled\. \(1 attempt\)\. This 403 comes from the server's CSRF protection/,
    );
  });

  test('Prefect Cloud has no CSRF: a 403 there is about the key, and no token is asked for', async () => {
    stub.script.push({ status: 403, body: '{"detail":"Missing CSRF token."}' });
    const api = parseApiUrl(`${stub.origin}/api/accounts/a1/workspaces/w1`);
    const error = await deliveryError(sendEvents([sampleEvent()], options(stub, { api, apiKey: 'pnu_key' })));
    assert.deepEqual(trail(stub), ['POST /api/accounts/a1/workspaces/w1/events']);
    assert.match(error.message, /Check the credentials/);
  });
});
