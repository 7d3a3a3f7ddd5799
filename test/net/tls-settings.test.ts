// Prefect's TLS settings against an https stub whose certificate comes from a private CA: the client's `tls`
// options (PREFECT_API_SSL_CERT_FILE's CAs, PREFECT_API_TLS_INSECURE_SKIP_VERIFY), directly and inside a
// proxy's CONNECT tunnel, and the action end to end with the variables set.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { sendEvents, type ClientOptions } from '../../src/prefect/client.ts';
import { runAction } from '../../tools/runner.ts';
import { makeCertificate, type TestCertificate } from '../support/certificate.ts';
import { deliveryError, stubClientOptions } from '../support/client-options.ts';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { sampleEvent } from '../support/sample-event.ts';

const event = sampleEvent();

let serverCert: TestCertificate;
let otherCa: TestCertificate;
let prefect: PrefectStub;
let proxy: ForwardProxy;
before(async () => {
  serverCert = makeCertificate();
  otherCa = makeCertificate('another CA');
  prefect = await startPrefectStub([], serverCert);
  proxy = await startForwardProxy();
});
after(async () => {
  await prefect.close();
  await proxy.close();
});
beforeEach(() => {
  prefect.reset();
  proxy.reset();
});

const options = (extra: Partial<ClientOptions>) => stubClientOptions(prefect, { retries: 1, ...extra });

describe('the client with TLS options', () => {
  test("the CA file's certificate makes the server trusted", async () => {
    await sendEvents([event], options({ tls: { ca: serverCert.cert } }));
    assert.equal(prefect.requests.length, 1);
  });

  test('the CA file replaces the default CAs: another CA does not vouch for the server', async () => {
    const error = await deliveryError(sendEvents([event], options({ tls: { ca: otherCa.cert } })));
    assert.equal(prefect.requests.length, 0);
    assert.match(
      error.message,
      /self-signed certificate.*\(1 attempt\)\. The server's TLS certificate is not trusted: .*PREFECT_API_SSL_CERT_FILE/,
    );
  });

  test('skipping verification reaches a server no CA vouches for', async () => {
    await sendEvents([event], options({ tls: { rejectUnauthorized: false } }));
    assert.equal(prefect.requests.length, 1);
  });

  test('inside a CONNECT tunnel, the CA file still verifies the server', async () => {
    const env = { HTTPS_PROXY: proxy.url };
    await sendEvents([event], options({ env, tls: { ca: serverCert.cert } }));
    assert.deepEqual(proxy.seen, [`CONNECT ${new URL(prefect.origin).host}`]);
    assert.equal(prefect.requests.length, 1);
    const error = await deliveryError(sendEvents([event], options({ env, tls: { ca: otherCa.cert } })));
    assert.match(error.message, /via proxy .* failed: .*self-signed certificate/);
    assert.equal(prefect.requests.length, 1);
  });

  test('inside a CONNECT tunnel, skipping verification applies too', async () => {
    await sendEvents(
      [event],
      options({ env: { HTTPS_PROXY: proxy.url }, tls: { rejectUnauthorized: false } }),
    );
    assert.deepEqual(proxy.seen, [`CONNECT ${new URL(prefect.origin).host}`]);
    assert.equal(prefect.requests.length, 1);
  });
});

describe('the action with PREFECT_API_SSL_CERT_FILE and PREFECT_API_TLS_INSECURE_SKIP_VERIFY', () => {
  const inputs = () => ({
    event: 'acme.model.deployed',
    resource: 'acme.model.churn',
    'api-url': prefect.apiUrl,
  });

  test('PREFECT_API_SSL_CERT_FILE trusts the private CA', async () => {
    const run = await runAction({
      inputs: inputs(),
      env: { PREFECT_API_SSL_CERT_FILE: serverCert.certPath },
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(run.outputs.emitted, 'true');
    assert.equal(prefect.requests.length, 1);
    assert.doesNotMatch(run.stdout, /::warning::/);
  });

  test('PREFECT_API_TLS_INSECURE_SKIP_VERIFY=true sends without verifying, and warns', async () => {
    const run = await runAction({ inputs: inputs(), env: { PREFECT_API_TLS_INSECURE_SKIP_VERIFY: 'true' } });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(run.outputs.emitted, 'true');
    assert.match(
      run.stdout,
      /::warning::PREFECT_API_TLS_INSECURE_SKIP_VERIFY is true: the certificate of 127\.0\.0\.1:\d+ is not verified/,
    );
  });

  test('PREFECT_API_SSL_CERT_FILE replaces the CAs, those of NODE_EXTRA_CA_CERTS too, as cafile does in Prefect', async () => {
    const run = await runAction({
      inputs: inputs(),
      env: { PREFECT_API_SSL_CERT_FILE: otherCa.certPath, NODE_EXTRA_CA_CERTS: serverCert.certPath },
    });
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::.*self-signed certificate/);
    assert.equal(prefect.requests.length, 0);
  });

  test('a PREFECT_API_SSL_CERT_FILE that does not exist fails the step before anything is sent', async () => {
    const run = await runAction({
      inputs: inputs(),
      env: { PREFECT_API_SSL_CERT_FILE: '/nonexistent/ca.pem' },
    });
    assert.equal(run.exitCode, 1);
    assert.equal(prefect.requests.length, 0);
    assert.match(
      run.stdout,
      /::error::PREFECT_API_SSL_CERT_FILE names "\/nonexistent\/ca\.pem", which cannot be read \(ENOENT\)/,
    );
  });
});
