// The Prefect client against a real HTTP server on 127.0.0.1 that records every request and injects faults.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { PrefectEvent } from '../../src/event/schema.ts';
import { parseApiUrl } from '../../src/prefect/api.ts';
import { sendEvents, type ClientOptions } from '../../src/prefect/client.ts';
import { ACTION_INPUT_NAMES, deliveryError, stubClientOptions } from '../support/client-options.ts';
import {
  startPrefectStub,
  type PrefectStub,
  type RecordedRequest,
  type Reply,
} from '../support/prefect-server.ts';
import { sampleEvent, SAMPLE_EVENT_ID } from '../support/sample-event.ts';

/** The sample event with a payload in non-ASCII on purpose: Content-Length must count bytes, not characters. */
const makeEvent = (changes: Partial<PrefectEvent> = {}): PrefectEvent =>
  sampleEvent({ payload: { version: '1.4.0', note: 'déployé ✓ 🚀' }, ...changes });

/** Fast settings, with retries, a short timeout and a cap on Retry-After pauses. */
const clientOptions = (stub: PrefectStub, extra: Partial<ClientOptions> = {}): ClientOptions =>
  stubClientOptions(stub, { retries: 3, timeoutMs: 2000, maxPauseMs: 5000, ...extra });

/** A port with nothing listening on it. */
async function deadApiUrl(): Promise<string> {
  const stub = await startPrefectStub();
  await stub.close();
  return stub.apiUrl;
}

/** An answer with a JSON body. */
const reply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

let stub: PrefectStub;
before(async () => (stub = await startPrefectStub()));
after(() => stub.close());
beforeEach(() => stub.reset());

describe('sendEvents: the request on the wire', () => {
  test('POSTs a JSON array of the event to {api-url}/events with Content-Length and a Bearer key', async () => {
    const event = makeEvent();
    const delivery = await sendEvents([event], clientOptions(stub, { apiKey: 'pnu_TESTKEY_abc123' }));

    assert.deepEqual(delivery, { status: 204, attempts: 1, requests: 1 });
    assert.equal(stub.requests.length, 1);
    const [request] = stub.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/api/events');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.equal(request?.headers['content-length'], String(Buffer.byteLength(request?.body ?? '', 'utf8')));
    assert.notEqual(request?.headers['content-length'], String(request?.body.length));
    assert.equal(request?.headers.authorization, 'Bearer pnu_TESTKEY_abc123');
    assert.equal(request?.headers['transfer-encoding'], undefined);
    assert.deepEqual(JSON.parse(request?.body ?? ''), [event]);
  });

  for (const suffix of ['/', '//']) {
    test(`a trailing ${JSON.stringify(suffix)} on api-url does not change the path`, async () => {
      await sendEvents([makeEvent()], clientOptions(stub, { api: parseApiUrl(`${stub.apiUrl}${suffix}`) }));
      assert.deepEqual(
        stub.requests.map((r) => r.url),
        ['/api/events'],
      );
    });
  }

  test('auth-string is sent as Basic base64(user:password)', async () => {
    await sendEvents([makeEvent()], clientOptions(stub, { authString: 'admin:s3cr3t-pass' }));
    assert.equal(
      stub.requests[0]?.headers.authorization,
      `Basic ${Buffer.from('admin:s3cr3t-pass').toString('base64')}`,
    );
    assert.equal(stub.requests[0]?.headers.authorization, 'Basic YWRtaW46czNjcjN0LXBhc3M=');
  });

  test('without a key or an auth string no Authorization header is sent', async () => {
    await sendEvents([makeEvent()], clientOptions(stub));
    assert.equal(stub.requests.length, 1);
    assert.equal('authorization' in (stub.requests[0]?.headers ?? {}), false);
  });

  test('several events travel in one array, in order', async () => {
    const first = makeEvent();
    const second = makeEvent({ id: '0190b7c8-3f1e-7a2b-8c4d-5e6f708192a4', follows: SAMPLE_EVENT_ID });
    await sendEvents([first, second], clientOptions(stub));
    assert.equal(stub.requests.length, 1);
    assert.deepEqual(JSON.parse(stub.requests[0]?.body ?? ''), [first, second]);
  });

  for (const status of [200, 202]) {
    test(`${status} is not Prefect's 204: fails at once, saying api-url may point elsewhere`, async () => {
      stub.script.push({ status, headers: { 'content-type': 'text/html' }, body: '<html>Sign in</html>' });
      const error = await deliveryError(
        sendEvents([makeEvent()], clientOptions(stub, { retries: 3, names: ACTION_INPUT_NAMES })),
      );
      assert.equal(stub.requests.length, 1);
      assert.match(
        error.message,
        new RegExp(`answered ${status} .*<html>Sign in</html> \\(1 attempt\\), not the 204`),
      );
      assert.match(error.message, /api-url may point at something else/);
    });
  }
});

describe('sendEvents: retries', () => {
  test('503, 503, 204 with retries 3: three requests with the same body, delivered on attempt 3', async () => {
    stub.script.push({ status: 503 }, { status: 503 });
    const delivery = await sendEvents([makeEvent()], clientOptions(stub, { retries: 3 }));

    assert.deepEqual(delivery, { status: 204, attempts: 3, requests: 1 });
    assert.equal(stub.requests.length, 3);
    const bodies = stub.requests.map((r) => r.body);
    assert.equal(new Set(bodies).size, 1, 'every attempt sends the same bytes');
    assert.equal((JSON.parse(bodies[0] ?? '') as PrefectEvent[])[0]?.id, SAMPLE_EVENT_ID);
  });

  test('retries 0: one request, then a DeliveryError', async () => {
    stub.script.push({ status: 503 });
    const error = await deliveryError(sendEvents([makeEvent()], clientOptions(stub, { retries: 0 })));
    assert.equal(stub.requests.length, 1);
    assert.match(error.message, /answered 503 Service Unavailable/);
    assert.match(error.message, /\(1 attempt, retries: 0\)/);
  });

  for (const status of [408, 429, 500, 502, 503, 504]) {
    test(`${status} is retried`, async () => {
      stub.script.push({ status });
      const delivery = await sendEvents([makeEvent()], clientOptions(stub, { retries: 2 }));
      assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 1 });
      assert.equal(stub.requests.length, 2);
      assert.equal(stub.requests[0]?.body, stub.requests[1]?.body);
    });
  }

  const hints: Record<number, RegExp[]> = {
    400: [/rejected the event as invalid/],
    401: [/manage_events/, /auth-string/, /api-key/],
    403: [/manage_events/, /auth-string/, /api-key/],
    404: [
      /Check api-url/,
      /https:\/\/api\.prefect\.cloud\/api\/accounts\/\{account_id\}\/workspaces\/\{workspace_id\}/,
      /ends in \/api, e\.g\. https:\/\/prefect\.example\.com\/api/,
    ],
    411: [/Content-Length/, /proxy/],
    413: [/5 MiB/],
    422: [/rejected the event as invalid/],
  };
  for (const [code, patterns] of Object.entries(hints)) {
    const status = Number(code);
    test(`${status} fails at once, with the server's detail and a hint`, async () => {
      stub.script.push(reply(status, { detail: `server says ${status}` }));
      const error = await deliveryError(
        sendEvents([makeEvent()], clientOptions(stub, { retries: 3, names: ACTION_INPUT_NAMES })),
      );

      assert.equal(stub.requests.length, 1, 'not retried');
      assert.match(error.message, new RegExp(`^POST ${stub.apiUrl}/events answered ${status} `));
      assert.ok(error.message.includes(`: server says ${status} (1 attempt).`), error.message);
      assert.doesNotMatch(error.message, /retries exhausted/);
      for (const pattern of patterns) assert.match(error.message, pattern);
    });
  }

  test("Prefect's 422 shape: the exception_detail is quoted, the request_body is not", async () => {
    stub.script.push(
      reply(422, {
        exception_message: 'Invalid request received.',
        exception_detail: [{ loc: ['body', 0, 'resource'], msg: 'Resource has no prefect.resource.id' }],
        request_body: [{ event: 'ECHOED-REQUEST-BODY' }],
      }),
    );
    const error = await deliveryError(sendEvents([makeEvent()], clientOptions(stub)));
    assert.equal(stub.requests.length, 1);
    assert.match(error.message, /answered 422 Unprocessable Entity/);
    assert.match(error.message, /Resource has no prefect\.resource\.id/);
    assert.match(error.message, /"loc":\["body",0,"resource"\]/);
    assert.doesNotMatch(error.message, /ECHOED-REQUEST-BODY/);
    assert.doesNotMatch(error.message, /request_body/);
  });

  test('the final error names the URL, the attempts and the last answer', async () => {
    stub.script.push(
      reply(500, { detail: 'first failure' }),
      reply(502, { detail: 'second failure' }),
      reply(503, { detail: 'maintenance until noon' }),
    );
    const error = await deliveryError(sendEvents([makeEvent()], clientOptions(stub, { retries: 2 })));
    assert.equal(stub.requests.length, 3);
    assert.equal(
      error.message,
      `POST ${stub.apiUrl}/events answered 503 Service Unavailable: maintenance until noon ` +
        '(3 attempts, retries exhausted).',
    );
  });
});

describe('sendEvents: Retry-After', () => {
  test('Retry-After: 1 spaces the attempts by about a second', async () => {
    stub.script.push({ status: 429, headers: { 'retry-after': '1' } });
    const delivery = await sendEvents([makeEvent()], clientOptions(stub, { backoffMs: 5 }));

    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 1 });
    assert.equal(stub.requests.length, 2);
    const gap = (stub.requests[1]?.at ?? 0) - (stub.requests[0]?.at ?? 0);
    assert.ok(gap >= 950, `waited ${gap} ms, Retry-After asked for 1000`);
    assert.ok(gap < 3000, `waited ${gap} ms`);
  });

  test('Retry-After as an HTTP date', async () => {
    // Whole seconds only, so the wait is between 1 and 2 s from now.
    const date = new Date(Date.now() + 2000).toUTCString();
    stub.script.push({ status: 503, headers: { 'retry-after': date } });
    const messages: string[] = [];
    const delivery = await sendEvents(
      [makeEvent()],
      clientOptions(stub, { backoffMs: 5, debug: (m) => messages.push(m) }),
    );

    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 1 });
    const gap = (stub.requests[1]?.at ?? 0) - (stub.requests[0]?.at ?? 0);
    assert.ok(gap >= 900, `waited ${gap} ms, Retry-After asked until ${date}`);
    assert.ok(gap < 4000, `waited ${gap} ms`);
    assert.ok(
      messages.some((m) => /^Retrying in \d\.\d\d s \(Retry-After\)\.$/.test(m)),
      messages.join('\n'),
    );
  });

  test('Retry-After wins over the backoff when it is shorter', async () => {
    stub.script.push({ status: 429, headers: { 'retry-after': '0' } });
    const started = Date.now();
    // A backoff of 5 s would pause at least 2.5 s.
    const delivery = await sendEvents(
      [makeEvent()],
      clientOptions(stub, { backoffMs: 5000, maxPauseMs: 10_000 }),
    );
    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 1 });
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  test('a Retry-After longer than maxPauseMs fails at once, saying so', async () => {
    stub.script.push({ status: 429, headers: { 'retry-after': '120' } });
    const started = Date.now();
    const error = await deliveryError(
      sendEvents([makeEvent()], clientOptions(stub, { retries: 3, maxPauseMs: 1000 })),
    );

    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.equal(stub.requests.length, 1);
    assert.match(error.message, /answered 429 Too Many Requests/);
    assert.match(
      error.message,
      /asked to retry after 120 s, longer than the 1 s this step waits between attempts/,
    );
  });
});

describe('sendEvents: network faults', () => {
  test('a reset connection is retried', async () => {
    stub.script.push('reset');
    const delivery = await sendEvents([makeEvent()], clientOptions(stub));
    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 1 });
    assert.equal(stub.requests.length, 2);
    assert.equal(stub.requests[0]?.body, stub.requests[1]?.body);
  });

  test('a refused connection is retried, then fails naming ECONNREFUSED and the attempts', async () => {
    const apiUrl = await deadApiUrl();
    const messages: string[] = [];
    const error = await deliveryError(
      sendEvents(
        [makeEvent()],
        clientOptions(stub, { api: parseApiUrl(apiUrl), retries: 2, debug: (m) => messages.push(m) }),
      ),
    );
    assert.match(error.message, new RegExp(`^POST ${apiUrl}/events failed: .*ECONNREFUSED`));
    assert.match(error.message, /\(3 attempts, retries exhausted\)\.$/);
    assert.equal(messages.filter((m) => /^Attempt \d\/3: .*ECONNREFUSED/.test(m)).length, 3);
  });

  test('no answer within the timeout is retried, and reported as such', async () => {
    stub.script.push('hang', 'hang');
    const error = await deliveryError(
      sendEvents([makeEvent()], clientOptions(stub, { retries: 1, timeoutMs: 200 })),
    );
    assert.equal(stub.requests.length, 2);
    assert.match(error.message, /failed: no answer within 0\.2 s \(2 attempts, retries exhausted\)\.$/);
  });

  test('a hung attempt, then an answer: delivered on attempt 2', async () => {
    stub.script.push('hang');
    const delivery = await sendEvents([makeEvent()], clientOptions(stub, { timeoutMs: 200 }));
    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 1 });
  });

  test('the whole delivery is bounded by the attempts, their timeouts and the pauses', async () => {
    stub.script.push('hang', 'hang', 'hang', 'hang');
    const started = Date.now();
    const error = await deliveryError(
      sendEvents([makeEvent()], clientOptions(stub, { retries: 3, timeoutMs: 150, backoffMs: 10 })),
    );
    const elapsed = Date.now() - started;
    assert.equal(stub.requests.length, 4);
    assert.match(error.message, /no answer within 0\.15 s \(4 attempts, retries exhausted\)/);
    assert.ok(elapsed >= 4 * 150 - 20, `each attempt waits its timeout; took ${elapsed} ms`);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
  });
});

describe('sendEvents: a header Node refuses to send', () => {
  test('an API key with a line break fails at once, naming the setting, never quoting the key', async () => {
    stub.reset();
    const key = 'pnu_line-9c1d\r\nX-Injected: 1';
    const messages: string[] = [];
    const error = await deliveryError(
      sendEvents(
        [makeEvent()],
        clientOptions(stub, { apiKey: key, names: ACTION_INPUT_NAMES, debug: (m) => messages.push(m) }),
      ),
    );
    // Refused by Node before anything left: the same header would be refused on every retry.
    assert.equal(stub.requests.length, 0);
    assert.match(
      error.message,
      /^POST http:\/\/127\.0\.0\.1:\d+\/api\/events was not sent: api-key holds a line break or another character an HTTP header cannot carry \(1 attempt\)\.$/,
    );
    for (const text of [error.message, ...messages]) assert.ok(!text.includes('pnu_line'), text);
  });
});

describe('sendEvents: debug messages', () => {
  test('one "Attempt i/n" line per attempt and a "Retrying in" line between them', async () => {
    stub.script.push(reply(503, { detail: 'busy' }), { status: 500 });
    const messages: string[] = [];
    await sendEvents([makeEvent()], clientOptions(stub, { retries: 3, debug: (m) => messages.push(m) }));

    const where = `POST ${stub.apiUrl}/events`;
    assert.equal(messages.length, 5, messages.join('\n'));
    assert.equal(messages[0], `Attempt 1/4: ${where} answered 503 Service Unavailable: busy.`);
    assert.match(messages[1] ?? '', /^Retrying in \d+\.\d\d s\.$/);
    assert.equal(messages[2], `Attempt 2/4: ${where} answered 500 Internal Server Error.`);
    assert.match(messages[3] ?? '', /^Retrying in \d+\.\d\d s\.$/);
    assert.equal(messages[4], `Attempt 3/4: ${where} answered 204.`);
  });
});

describe('sendEvents: secrets never appear in messages', () => {
  const apiKey = 'pnu_TESTKEY_abc123';
  const authString = 'admin:s3cr3t-pass';
  const base64 = Buffer.from(authString).toString('base64');

  function assertClean(texts: string[], secrets: string[]): void {
    for (const text of texts) {
      for (const secret of secrets)
        assert.ok(!text.includes(secret), `${JSON.stringify(secret)} in: ${text}`);
    }
  }

  // What travels (the header) and what must never be shown (the header's secret part, the raw credential).
  const credentials = [
    { name: 'api-key', options: { apiKey }, header: `Bearer ${apiKey}`, raw: apiKey, secrets: [apiKey] },
    {
      name: 'auth-string',
      options: { authString },
      header: `Basic ${base64}`,
      raw: authString,
      secrets: [authString, base64, 's3cr3t-pass'],
    },
  ];
  // The server echoes the Authorization header (and the credential) back, in each shape of error body.
  const bodies: [number, (header: string, raw: string) => unknown][] = [
    [401, (header) => ({ detail: `Invalid credentials in header: ${header}` })],
    [
      422,
      (header, raw) => ({
        exception_message: 'Invalid request received.',
        exception_detail: [{ msg: `Invalid credentials in header: ${header}`, input: raw }],
        request_body: header,
      }),
    ],
    [500, (header, raw) => ({ detail: `Invalid credentials in header: ${header}; you sent ${raw}` })],
  ];

  for (const credential of credentials) {
    for (const [status, body] of bodies) {
      test(`${credential.name}: echoed back in a ${status} answer`, async () => {
        // 500 is retried: the echo appears in a debug line per attempt and in the final error.
        const echo = (request: RecordedRequest) =>
          reply(status, body(String(request.headers.authorization), credential.raw));
        stub.script.push(echo, echo);
        const messages: string[] = [];
        const error = await deliveryError(
          sendEvents(
            [makeEvent()],
            clientOptions(stub, { retries: 1, ...credential.options, debug: (m) => messages.push(m) }),
          ),
        );

        assert.equal(stub.requests[0]?.headers.authorization, credential.header, 'the credential was sent');
        assert.equal(stub.requests.length, status === 500 ? 2 : 1);
        // The detail is still there, with the credential masked.
        assert.match(error.message, /Invalid credentials in header: (Bearer|Basic) \*\*\*/);
        assert.match(messages.join('\n'), /Invalid credentials in header: (Bearer|Basic) \*\*\*/);
        assertClean([error.message, String(error.stack), ...messages], credential.secrets);
      });
    }
  }

  test('a credential cut by the length limit on the detail does not leak in part', async () => {
    // The detail is cut at 500 characters; the key starts 10 characters before the cut.
    const echo = `${'x'.repeat(490)}${apiKey} and ${'y'.repeat(490)}s3cr3t-pass`;
    stub.script.push(reply(400, { detail: echo }));
    const messages: string[] = [];
    const error = await deliveryError(
      sendEvents([makeEvent()], clientOptions(stub, { apiKey, debug: (m) => messages.push(m) })),
    );
    for (const text of [error.message, ...messages]) {
      assert.ok(text.includes('x'.repeat(490)), 'the detail is quoted');
      assert.ok(!text.includes(apiKey.slice(0, 8)), `part of the key in: ${text}`);
    }
  });
});

describe('sendEvents: secrets escaped by the server', () => {
  // Servers built on Python's json.dumps (and others) may write & as \u0026: the raw body never holds the
  // secret as such, its decoded detail does.
  const password = 'Tr0ub4dor&3-horse&battery';
  const authString = `admin:${password}`;
  const escaped = (value: unknown) => JSON.stringify(value).replace(/&/g, '\\u0026');

  test('an auth string echoed with & as \\u0026 is removed after decoding', async () => {
    stub.script.push({ status: 401, body: escaped({ detail: `bad credentials ${authString}` }) });
    const messages: string[] = [];
    const error = await deliveryError(
      sendEvents([makeEvent()], clientOptions(stub, { authString, debug: (m) => messages.push(m) })),
    );
    assert.match(error.message, /answered 401 Unauthorized: bad credentials \*\*\* \(1 attempt\)/);
    for (const text of [error.message, ...messages]) {
      for (let length = 4; length <= password.length; length++) {
        assert.ok(!text.includes(password.slice(0, length)), `${length} characters of the password: ${text}`);
      }
    }
  });

  test('one straddling the 500-character cut leaves no part of itself', async () => {
    stub.script.push({ status: 400, body: escaped({ detail: `${'x'.repeat(485)}${password} and more` }) });
    const error = await deliveryError(sendEvents([makeEvent()], clientOptions(stub, { authString })));
    assert.ok(error.message.includes('x'.repeat(485)), 'the detail is quoted');
    for (let length = 3; length <= password.length; length++) {
      assert.ok(!error.message.includes(password.slice(0, length)), `${length} characters: ${error.message}`);
    }
  });
});
