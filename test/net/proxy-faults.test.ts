// Proxies that fail: one that never answers CONNECT, a tunnel whose far end never speaks, a proxy that
// wants credentials and quotes them back, one that cannot reach the server, and schemes Node cannot use.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { parseApiUrl } from '../../src/prefect/api.ts';
import { sendEvents, type ClientOptions } from '../../src/prefect/client.ts';
import { deliveryError, stubClientOptions } from '../support/client-options.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { sampleEvent } from '../support/sample-event.ts';
import { startScriptedProxy, type ScriptedProxy } from '../support/scripted-proxy.ts';

const event = sampleEvent();
const apiKey = 'pnu_TESTKEY_abc123';

let stub: PrefectStub;
before(async () => (stub = await startPrefectStub()));
after(() => stub.close());
beforeEach(() => stub.reset());

/** The stub's URL as https: nothing listens for TLS there, but a tunnel that never opens never gets that far. */
const httpsApi = () => parseApiUrl(stub.apiUrl.replace('http://', 'https://'));

const options = (extra: Partial<ClientOptions>) =>
  stubClientOptions(stub, { apiKey, timeoutMs: 2000, ...extra });

async function waitFor(check: () => Promise<boolean>, ms = 1000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('the timeout bounds proxy set-up too', () => {
  for (const behaviour of ['silent', 'established-then-silent'] as const) {
    test(`a proxy that is ${behaviour}: the attempt ends at the timeout and its connection is closed`, async () => {
      const proxy = await startScriptedProxy(behaviour);
      try {
        const started = Date.now();
        const error = await deliveryError(
          sendEvents([event], options({ api: httpsApi(), timeoutMs: 300, env: { HTTPS_PROXY: proxy.url } })),
        );
        const elapsed = Date.now() - started;

        assert.ok(elapsed >= 280 && elapsed < 1500, `took ${elapsed} ms for a 300 ms timeout`);
        assert.match(proxy.heads[0] ?? '', /^CONNECT 127\.0\.0\.1:\d+ HTTP\/1\.1/);
        assert.match(
          error.message,
          /via proxy http:\/\/127\.0\.0\.1:\d+ failed: no answer within 0\.3 s \(1 attempt, retries: 0\)\.$/,
        );
        // A socket left open would keep the step's process alive after the error.
        assert.ok(
          await waitFor(async () => (await proxy.openConnections()) === 0),
          'the proxy connection was closed',
        );
      } finally {
        await proxy.close();
      }
    });
  }

  test('each retry is bounded the same way', async () => {
    const proxy = await startScriptedProxy('silent');
    try {
      const started = Date.now();
      const error = await deliveryError(
        sendEvents(
          [event],
          options({ api: httpsApi(), retries: 2, timeoutMs: 200, env: { HTTPS_PROXY: proxy.url } }),
        ),
      );
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      assert.equal(proxy.heads.length, 3);
      assert.match(error.message, /no answer within 0\.2 s \(3 attempts, retries exhausted\)\.$/);
    } finally {
      await proxy.close();
    }
  });
});

describe('proxy schemes Node cannot use are refused, not bypassed', () => {
  for (const scheme of ['socks5', 'socks4', 'socks5h', 'pac+http', 'ftp']) {
    test(`HTTP_PROXY=${scheme}://…: an error naming the variable, and nothing sent`, async () => {
      const error = await deliveryError(
        sendEvents(
          [event],
          options({
            api: parseApiUrl(stub.apiUrl),
            env: { HTTP_PROXY: `${scheme}://user:s3cret-pw@127.0.0.1:1080` },
          }),
        ),
      );
      assert.equal(stub.requests.length, 0, 'no request reached the server directly');
      assert.equal(
        error.message,
        `The proxy variable HTTP_PROXY names a ${scheme} proxy, which cannot be used: give an http:// or ` +
          'https:// proxy URL, or list the Prefect host in NO_PROXY to connect directly. Nothing was sent.',
      );
    });
  }

  test('NO_PROXY naming the host still connects directly, whatever the scheme', async () => {
    await sendEvents(
      [event],
      options({ env: { HTTP_PROXY: 'socks5://127.0.0.1:1080', NO_PROXY: '127.0.0.1' } }),
    );
    assert.equal(stub.requests.length, 1);
  });
});

describe('a proxy that wants credentials and quotes them back', () => {
  const user = 'ci-robot';
  const password = 'pr0xy-Pa55w0rd&more';
  const pair = `${user}:${password}`;
  const basic = Buffer.from(pair).toString('base64');
  const proxyUrl = (proxy: ScriptedProxy) =>
    proxy.url.replace('http://', `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);
  const quoteHead = (head: string) => `Access denied. Your request was:\n${head}\nDecoded: ${pair}`;

  function assertClean(text: string): void {
    for (const secret of [password, encodeURIComponent(password), basic, pair, apiKey]) {
      assert.ok(!text.includes(secret), `${secret} in: ${text}`);
    }
  }

  test('HTTP_PROXY answering 407: one attempt, said to come from the proxy, no credential in any message', async () => {
    const proxy = await startScriptedProxy({
      status: 407,
      reason: 'Proxy Authentication Required',
      body: quoteHead,
    });
    try {
      const messages: string[] = [];
      const error = await deliveryError(
        sendEvents(
          [event],
          options({ retries: 3, env: { HTTP_PROXY: proxyUrl(proxy) }, debug: (m) => messages.push(m) }),
        ),
      );
      assert.equal(proxy.heads.length, 1, 'not retried');
      assert.match(proxy.heads[0] ?? '', new RegExp(`proxy-authorization: Basic ${basic}`, 'i'));
      assert.equal(stub.requests.length, 0);
      assert.match(
        error.message,
        /^POST http:\/\/127\.0\.0\.1:\d+\/api\/events via proxy http:\/\/127\.0\.0\.1:\d+ failed: the proxy answered 407 Proxy Authentication Required: Access denied\./,
      );
      assert.match(error.message, /Proxy-Authorization: Basic \*\*\*/i);
      assert.match(error.message, /\(1 attempt\)\. The proxy wants credentials/);
      for (const text of [error.message, String(error.stack), ...messages]) assertClean(text);
    } finally {
      await proxy.close();
    }
  });

  test('HTTPS_PROXY answering 407 to CONNECT: one attempt, said to come from the proxy', async () => {
    const proxy = await startScriptedProxy({
      status: 407,
      reason: 'Proxy Authentication Required',
      body: quoteHead,
    });
    try {
      const messages: string[] = [];
      const error = await deliveryError(
        sendEvents(
          [event],
          options({
            api: httpsApi(),
            retries: 3,
            env: { HTTPS_PROXY: proxyUrl(proxy) },
            debug: (m) => messages.push(m),
          }),
        ),
      );
      assert.equal(proxy.heads.length, 1, 'not retried');
      assert.match(
        error.message,
        /via proxy http:\/\/127\.0\.0\.1:\d+ failed: the proxy answered CONNECT with 407 Proxy Authentication Required \(1 attempt\)\. The proxy wants credentials/,
      );
      for (const text of [error.message, String(error.stack), ...messages]) assertClean(text);
    } finally {
      await proxy.close();
    }
  });

  test('a 502 answered to CONNECT: the proxy cannot reach the server; not retried', async () => {
    const proxy = await startScriptedProxy({ status: 502, reason: 'Bad Gateway', body: () => 'no route' });
    try {
      const error = await deliveryError(
        sendEvents([event], options({ api: httpsApi(), retries: 3, env: { HTTPS_PROXY: proxy.url } })),
      );
      assert.equal(proxy.heads.length, 1, 'not retried');
      assert.match(
        error.message,
        /failed: the proxy answered CONNECT with 502 Bad Gateway \(1 attempt\)\. The proxy could not reach the Prefect server/,
      );
    } finally {
      await proxy.close();
    }
  });
});
