// https end to end: a Prefect stub with a certificate from a private CA, trusted through NODE_EXTRA_CA_CERTS
// (the way self-hosted runners behind TLS-inspecting proxies are set up), directly and through a proxy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeCertificate } from '../support/certificate.ts';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { runAction } from '../../tools/runner.ts';

describe('https with a private CA', () => {
  let prefect: PrefectStub;
  let proxy: ForwardProxy;
  let certPath: string;
  before(async () => {
    const tls = makeCertificate();
    certPath = tls.certPath;
    prefect = await startPrefectStub([], tls);
    proxy = await startForwardProxy();
  });
  after(async () => {
    await prefect.close();
    await proxy.close();
  });
  const inputs = () => ({
    event: 'acme.model.deployed',
    resource: 'acme.model.churn',
    'api-url': prefect.apiUrl,
  });

  test('NODE_EXTRA_CA_CERTS makes the private CA trusted', async () => {
    prefect.reset();
    const run = await runAction({ inputs: inputs(), env: { NODE_EXTRA_CA_CERTS: certPath } });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(run.outputs.emitted, 'true');
    assert.equal(prefect.requests.length, 1);
  });

  test('without it, the untrusted certificate fails at once with a hint, and is not retried', async () => {
    prefect.reset();
    const run = await runAction({ inputs: inputs() });
    assert.equal(run.exitCode, 1);
    assert.equal(prefect.requests.length, 0);
    assert.match(
      run.stdout,
      /::error::Prefect did not accept the event: POST https:\/\/127\.0\.0\.1:\d+\/api\/events failed: .*self-signed certificate.* \(1 attempt\)\. The server's TLS certificate is not trusted: .*NODE_EXTRA_CA_CERTS/,
    );
  });

  test('through HTTPS_PROXY, the request is tunnelled with CONNECT and verified end to end', async () => {
    prefect.reset();
    proxy.reset();
    const run = await runAction({
      inputs: inputs(),
      env: { NODE_EXTRA_CA_CERTS: certPath, HTTPS_PROXY: proxy.url },
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.deepEqual(proxy.seen, [`CONNECT ${new URL(prefect.origin).host}`]);
    assert.equal(prefect.requests.length, 1);
    assert.equal(JSON.parse(prefect.requests[0]?.body ?? '[]')[0]?.id, run.outputs['event-id']);
  });
});
