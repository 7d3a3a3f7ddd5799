// HTTPS_PROXY / HTTP_PROXY / NO_PROXY: which proxy a request takes, and a real request through a real proxy.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { nodeSupportsProxy } from '../../src/net/http.ts';
import { bypassesProxy, proxyCredentials, proxyFor } from '../../src/net/proxy.ts';
import { parseApiUrl } from '../../src/prefect/api.ts';
import { sendEvents, type ClientOptions } from '../../src/prefect/client.ts';
import { deliveryError, stubClientOptions } from '../support/client-options.ts';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { sampleEvent } from '../support/sample-event.ts';

const CLOUD = new URL('https://api.prefect.cloud/api/accounts/a1/workspaces/w1/events');
const SELF_HOSTED = new URL('http://prefect.internal:4200/api/events');

describe('proxyFor', () => {
  test('an https target uses https_proxy / HTTPS_PROXY, never HTTP_PROXY', () => {
    assert.equal(
      proxyFor(CLOUD, { HTTPS_PROXY: 'http://proxy.corp:3128' })?.url.href,
      'http://proxy.corp:3128/',
    );
    assert.equal(
      proxyFor(CLOUD, { https_proxy: 'http://proxy.corp:3128' })?.url.href,
      'http://proxy.corp:3128/',
    );
    assert.equal(proxyFor(CLOUD, { HTTP_PROXY: 'http://proxy.corp:3128' }), undefined);
  });

  test('an http target uses http_proxy / HTTP_PROXY, never HTTPS_PROXY', () => {
    assert.equal(
      proxyFor(SELF_HOSTED, { HTTP_PROXY: 'http://proxy.corp:3128' })?.url.href,
      'http://proxy.corp:3128/',
    );
    assert.equal(
      proxyFor(SELF_HOSTED, { http_proxy: 'http://proxy.corp:3128' })?.url.href,
      'http://proxy.corp:3128/',
    );
    assert.equal(proxyFor(SELF_HOSTED, { HTTPS_PROXY: 'http://proxy.corp:3128' }), undefined);
  });

  test('the lowercase variable wins', () => {
    const env = { https_proxy: 'http://lower.corp:1111', HTTPS_PROXY: 'http://upper.corp:2222' };
    assert.equal(proxyFor(CLOUD, env)?.url.host, 'lower.corp:1111');
  });

  test('a bare host:port means an http proxy; an https proxy URL is kept', () => {
    assert.equal(proxyFor(CLOUD, { HTTPS_PROXY: 'proxy.corp:3128' })?.url.href, 'http://proxy.corp:3128/');
    assert.equal(
      proxyFor(CLOUD, { HTTPS_PROXY: ' https://proxy.corp:8443 ' })?.url.href,
      'https://proxy.corp:8443/',
    );
  });

  test('no variable, or an empty one: a direct connection', () => {
    assert.equal(proxyFor(CLOUD, {}), undefined);
    assert.equal(proxyFor(CLOUD, { HTTPS_PROXY: '  ' }), undefined);
  });

  test('NO_PROXY (or no_proxy) turns the proxy off for the hosts it names', () => {
    assert.equal(
      proxyFor(CLOUD, { HTTPS_PROXY: 'proxy.corp:3128', NO_PROXY: 'api.prefect.cloud' }),
      undefined,
    );
    assert.equal(proxyFor(CLOUD, { HTTPS_PROXY: 'proxy.corp:3128', no_proxy: '.prefect.cloud' }), undefined);
    assert.equal(
      proxyFor(CLOUD, { HTTPS_PROXY: 'proxy.corp:3128', NO_PROXY: 'example.com' })?.url.host,
      'proxy.corp:3128',
    );
  });

  test('a proxy variable that is not a URL is an error naming the variable, not its value', () => {
    assert.throws(
      () => proxyFor(CLOUD, { https_proxy: 'http://user:hunter22@[bad' }),
      (error: Error) => {
        assert.equal(error.message, 'The proxy variable https_proxy is not a URL.');
        assert.equal(error.name, 'ProxyConfigError');
        return true;
      },
    );
  });

  test('an empty lowercase variable does not hide a set uppercase one', () => {
    const env = {
      https_proxy: '',
      HTTPS_PROXY: 'http://upper.corp:2222',
      no_proxy: ' ',
      NO_PROXY: 'prefect.cloud',
    };
    assert.equal(proxyFor(CLOUD, env), undefined, 'NO_PROXY applies');
    assert.equal(proxyFor(CLOUD, { ...env, NO_PROXY: '' })?.url.href, 'http://upper.corp:2222/');
  });
});

describe('bypassesProxy', () => {
  const api = new URL('https://api.prefect.cloud/api');

  test('* matches every host', () => {
    assert.equal(bypassesProxy(api, '*'), true);
    assert.equal(bypassesProxy(SELF_HOSTED, 'example.com,*'), true);
  });

  test('an exact host, in any case', () => {
    assert.equal(bypassesProxy(api, 'api.prefect.cloud'), true);
    assert.equal(bypassesProxy(api, 'API.Prefect.Cloud'), true);
  });

  test('a domain, .domain and *.domain match the domain and its subdomains', () => {
    for (const entry of ['prefect.cloud', '.prefect.cloud', '*.prefect.cloud']) {
      assert.equal(bypassesProxy(api, entry), true, entry);
      assert.equal(bypassesProxy(new URL('https://prefect.cloud/'), entry), true, entry);
      assert.equal(bypassesProxy(new URL('https://a.b.prefect.cloud/'), entry), true, entry);
    }
  });

  test('only on a label boundary', () => {
    assert.equal(bypassesProxy(api, 'refect.cloud'), false);
    assert.equal(bypassesProxy(api, 'cloud.prefect'), false);
    assert.equal(bypassesProxy(new URL('https://notprefect.cloud/'), 'prefect.cloud'), false);
  });

  test('host:port matches that port only, the scheme default included', () => {
    assert.equal(bypassesProxy(SELF_HOSTED, 'prefect.internal:4200'), true);
    assert.equal(bypassesProxy(SELF_HOSTED, 'prefect.internal:4201'), false);
    assert.equal(bypassesProxy(api, 'api.prefect.cloud:443'), true);
    assert.equal(bypassesProxy(api, 'api.prefect.cloud:80'), false);
    assert.equal(bypassesProxy(new URL('http://prefect.internal/api'), 'prefect.internal:80'), true);
  });

  test('IPv6 addresses, with and without brackets and ports', () => {
    const local = new URL('http://[::1]:4200/api');
    assert.equal(bypassesProxy(local, '[::1]'), true);
    assert.equal(bypassesProxy(local, '::1'), true);
    assert.equal(bypassesProxy(local, '[::1]:4200'), true);
    assert.equal(bypassesProxy(local, '[::1]:4201'), false);
    assert.equal(bypassesProxy(local, '[::2]'), false);
    assert.equal(bypassesProxy(new URL('http://[fd00::1:2]/'), 'fd00::1:2'), true);
    assert.equal(bypassesProxy(new URL('http://127.0.0.1:4200/'), '::1'), false);
  });

  test('entries separated by commas and spaces', () => {
    const noProxy = 'localhost, 127.0.0.1  .internal,example.com';
    assert.equal(bypassesProxy(SELF_HOSTED, noProxy), true);
    assert.equal(bypassesProxy(new URL('http://127.0.0.1:4200/'), noProxy), true);
    assert.equal(bypassesProxy(new URL('http://localhost:4200/'), noProxy), true);
    assert.equal(bypassesProxy(api, noProxy), false);
  });

  test('no match, or nothing listed', () => {
    assert.equal(bypassesProxy(api, 'example.com,localhost'), false);
    assert.equal(bypassesProxy(api, ''), false);
    assert.equal(bypassesProxy(api, ' , '), false);
  });
});

describe('NO_PROXY: other spellings of the same host', () => {
  test('a trailing dot on the host or on the entry does not matter', () => {
    const dotted = new URL('https://prefect.example.com./api/events');
    assert.equal(bypassesProxy(dotted, 'prefect.example.com'), true);
    assert.equal(bypassesProxy(dotted, '.example.com'), true);
    assert.equal(bypassesProxy(new URL('https://prefect.example.com/api'), 'prefect.example.com.'), true);
    assert.equal(bypassesProxy(new URL('https://api.example.com/api'), 'example.com.'), true);
    assert.equal(bypassesProxy(dotted, 'other.example.com.'), false);
  });

  test('an IPv6 address in any of its spellings', () => {
    const local = new URL('http://[::1]:4200/api');
    for (const entry of ['0:0:0:0:0:0:0:1', '[0:0:0:0:0:0:0:1]', '[0::1]:4200', '::0:1', '[::1]']) {
      assert.equal(bypassesProxy(local, entry), true, entry);
    }
    const long = new URL('http://[0:0:0:0:0:0:0:1]:4200/api');
    assert.equal(bypassesProxy(long, '::1'), true);
    assert.equal(bypassesProxy(new URL('http://[fd00:0:0:0:0:0:1:2]/'), 'FD00::1:2'), true);
    assert.equal(bypassesProxy(local, '0:0:0:0:0:0:0:2'), false);
  });
});

describe('proxyFor: schemes Node cannot use', () => {
  test('an error naming the variable (lowercase too) and the schemes that work, never the value', () => {
    assert.throws(
      () => proxyFor(CLOUD, { https_proxy: 'socks5h://user:hunter22@proxy.corp:1080' }),
      (error: Error) => {
        assert.equal(error.name, 'ProxyConfigError');
        assert.equal(
          error.message,
          'The proxy variable https_proxy names a socks5h proxy, which cannot be used: give an http:// or ' +
            'https:// proxy URL, or list the Prefect host in NO_PROXY to connect directly.',
        );
        return true;
      },
    );
  });
});

describe('proxyCredentials', () => {
  test('decoded and as written, from every proxy variable; none without credentials', () => {
    const env = {
      HTTPS_PROXY: 'http://ci%40corp:p%40ss%3Aword@proxy.corp:3128',
      http_proxy: 'http://plain:pr0xy-s3cret@proxy.corp:3128',
      HTTP_PROXY: 'proxy.corp:3128',
      NO_PROXY: 'user:password@ignored',
    };
    assert.deepEqual(proxyCredentials(env).sort(), [
      'ci%40corp:p%40ss%3Aword',
      'ci@corp:p@ss:word',
      'plain:pr0xy-s3cret',
    ]);
    assert.deepEqual(proxyCredentials({ HTTPS_PROXY: 'http://proxy.corp:3128' }), []);
  });

  test('a token given as the user name alone', () => {
    assert.deepEqual(proxyCredentials({ https_proxy: 'https://tok3n-abc@proxy.corp' }).sort(), [
      'tok3n-abc',
      'tok3n-abc:',
    ]);
  });
});

describe('sendEvents through a real forward proxy', () => {
  const event = sampleEvent({ payload: { note: 'über den Proxy' } });
  const apiKey = 'pnu_TESTKEY_abc123';
  let stub: PrefectStub;
  let proxy: ForwardProxy;
  before(async () => {
    stub = await startPrefectStub();
    proxy = await startForwardProxy();
  });
  after(async () => {
    await stub.close();
    await proxy.close();
  });
  beforeEach(() => {
    stub.reset();
    proxy.reset();
  });

  const options = (extra: Partial<ClientOptions>) =>
    stubClientOptions(stub, { apiKey, retries: 2, timeoutMs: 2000, ...extra });

  test('HTTP_PROXY: the request goes through the proxy, unchanged', async () => {
    const delivery = await sendEvents([event], options({ env: { HTTP_PROXY: proxy.url } }));

    assert.deepEqual(delivery, { status: 204, attempts: 1, requests: 1 });
    assert.deepEqual(proxy.seen, [`POST ${stub.origin}/api/events`]);
    assert.equal(stub.requests.length, 1);
    const [request] = stub.requests;
    assert.equal(request?.url, '/api/events');
    assert.equal(request?.headers.authorization, `Bearer ${apiKey}`);
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.equal(request?.headers['content-length'], String(Buffer.byteLength(request?.body ?? '')));
    assert.equal(request?.body, JSON.stringify([event]));
  });

  test('NO_PROXY naming the host: the proxy sees nothing, the server gets the request directly', async () => {
    const delivery = await sendEvents(
      [event],
      options({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } }),
    );

    assert.deepEqual(delivery, { status: 204, attempts: 1, requests: 1 });
    assert.deepEqual(proxy.seen, []);
    assert.equal(stub.requests.length, 1);
    assert.equal(stub.requests[0]?.body, JSON.stringify([event]));
  });

  test('proxy credentials go in Proxy-Authorization and never into a message', async () => {
    const withCredentials = proxy.url.replace('http://', 'http://proxyuser:pr0xy-s3cret@');
    stub.script.push(
      { status: 500, body: '{"detail":"upstream down"}' },
      { status: 500, body: '{"detail":"upstream down"}' },
    );
    const messages: string[] = [];
    const error = await deliveryError(
      sendEvents(
        [event],
        options({ retries: 1, env: { HTTP_PROXY: withCredentials }, debug: (m) => messages.push(m) }),
      ),
    );

    const basic = Buffer.from('proxyuser:pr0xy-s3cret').toString('base64');
    assert.deepEqual(proxy.authorizations, [`Basic ${basic}`, `Basic ${basic}`]);
    assert.equal(stub.requests.length, 2);
    assert.equal(
      error.message,
      `POST ${stub.apiUrl}/events via proxy ${proxy.url} answered 500 Internal Server Error: upstream down ` +
        '(2 attempts, retries exhausted).',
    );
    assert.equal(messages.filter((m) => m.startsWith('Attempt ')).length, 2);
    for (const text of [error.message, String(error.stack), ...messages]) {
      for (const secret of ['pr0xy-s3cret', 'proxyuser', basic, apiKey]) {
        assert.ok(!text.includes(secret), `${secret} in: ${text}`);
      }
    }
  });

  test('percent-encoded proxy credentials are decoded', async () => {
    const withCredentials = proxy.url.replace('http://', 'http://ci%40corp:p%40ss%3Aword@');
    await sendEvents([event], options({ env: { HTTP_PROXY: withCredentials } }));
    assert.deepEqual(proxy.authorizations, [`Basic ${Buffer.from('ci@corp:p@ss:word').toString('base64')}`]);
  });

  test('retries go through the proxy too, with the same body', async () => {
    stub.script.push({ status: 503 });
    const delivery = await sendEvents([event], options({ env: { HTTP_PROXY: proxy.url } }));

    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 1 });
    assert.deepEqual(proxy.seen, [`POST ${stub.origin}/api/events`, `POST ${stub.origin}/api/events`]);
    assert.equal(stub.requests.length, 2);
    assert.equal(stub.requests[0]?.body, stub.requests[1]?.body);
  });

  test('no answer through the proxy: the attempt times out and is retried', async () => {
    stub.script.push('hang');
    const messages: string[] = [];
    const delivery = await sendEvents(
      [event],
      options({ timeoutMs: 200, env: { HTTP_PROXY: proxy.url }, debug: (m) => messages.push(m) }),
    );

    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 1 });
    assert.equal(proxy.seen.length, 2);
    assert.match(messages[0] ?? '', /via proxy .* failed: no answer within 0\.2 s\.$/);
  });

  test('a proxy that refuses connections: retried, then an error naming the proxy and ECONNREFUSED', async () => {
    const dead = await startForwardProxy();
    await dead.close();
    const error = await deliveryError(sendEvents([event], options({ env: { HTTP_PROXY: dead.url } })));

    assert.equal(stub.requests.length, 0);
    assert.match(
      error.message,
      new RegExp(`^POST ${stub.apiUrl}/events via proxy ${dead.url} failed: .*ECONNREFUSED`),
    );
    assert.match(error.message, /\(3 attempts, retries exhausted\)\.$/);
  });

  test('HTTPS_PROXY: an https target is tunnelled with CONNECT', async () => {
    // The stub speaks plain HTTP, so TLS through the tunnel fails; what matters is the path taken.
    const httpsApi = stub.apiUrl.replace('http://', 'https://');
    const error = await deliveryError(
      sendEvents(
        [event],
        options({ api: parseApiUrl(httpsApi), retries: 0, env: { HTTPS_PROXY: proxy.url } }),
      ),
    );

    assert.deepEqual(proxy.seen, [`CONNECT ${new URL(stub.origin).host}`]);
    assert.match(error.message, new RegExp(`^POST ${httpsApi}/events via proxy ${proxy.url} failed: `));
  });
});

describe('nodeSupportsProxy', () => {
  test('Node 24.5 and later go through a proxy by themselves; older ones cannot', () => {
    assert.equal(nodeSupportsProxy('24.4.1'), false);
    assert.equal(nodeSupportsProxy('22.21.0'), false);
    assert.equal(nodeSupportsProxy('24.5.0'), true);
    assert.equal(nodeSupportsProxy('24.21.0'), true);
    assert.equal(nodeSupportsProxy('26.0.0'), true);
  });
});
