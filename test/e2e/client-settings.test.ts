// The action end to end (dist/index.js in the runner sandbox) with Prefect's client settings: a server with
// CSRF protection, PREFECT_CLIENT_CUSTOM_HEADERS on the wire and masked, and a malformed one refused.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runAction } from '../../tools/runner.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';

const SECRET = 'gw-token-7f3a9c2e';

let stub: PrefectStub;
before(async () => (stub = await startPrefectStub([], undefined, { csrf: true })));
after(() => stub.close());
beforeEach(() => stub.reset());

const inputs = () => ({
  event: 'acme.model.deployed',
  resource: 'acme.model.churn',
  'api-url': stub.apiUrl,
  'auth-string': 'admin:s3cret-pass',
});

/** stdout without the lines that register masks: nothing else may hold a secret. */
const logged = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');

describe('the action against a server with CSRF protection', () => {
  test('the event is emitted with the CSRF headers, and custom headers ride on every request', async () => {
    const run = await runAction({
      inputs: inputs(),
      env: { PREFECT_CLIENT_CUSTOM_HEADERS: JSON.stringify({ 'X-Gateway-Token': SECRET }) },
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(run.outputs.emitted, 'true');
    assert.deepEqual(
      stub.requests.map((r) => r.method),
      ['POST', 'GET', 'POST'],
    );
    const post = stub.requests[2];
    assert.ok(post?.headers['prefect-csrf-token']);
    assert.equal(JSON.parse(post?.body ?? '[]')[0]?.id, run.outputs['event-id']);
    for (const request of stub.requests) assert.equal(request.headers['x-gateway-token'], SECRET);
    assert.match(run.stdout, new RegExp(`^::add-mask::${SECRET}$`, 'm'));
    assert.ok(!logged(run.stdout).includes(SECRET));
  });

  test('a CSRF refusal that persists fails with the CSRF hint, not the credentials one', async () => {
    stub.csrfRefusesAll = true;
    const run = await runAction({ inputs: inputs() });
    assert.equal(run.exitCode, 1);
    assert.match(
      run.stdout,
      /::error::Prefect did not accept the event: POST .* even with a fresh CSRF token, answered 403 Forbidden: .*This 403 comes from the server's CSRF protection/,
    );
    assert.doesNotMatch(run.stdout, /Check the credentials/);
  });

  test('a malformed PREFECT_CLIENT_CUSTOM_HEADERS fails the step, names the variable, sends nothing', async () => {
    const run = await runAction({
      inputs: inputs(),
      env: { PREFECT_CLIENT_CUSTOM_HEADERS: `{"X-Gateway-Token": ${SECRET}}` },
    });
    assert.equal(run.exitCode, 1);
    assert.equal(stub.requests.length, 0);
    assert.match(
      run.stdout,
      /::error::PREFECT_CLIENT_CUSTOM_HEADERS is not valid JSON \(at line 1, column 21\)/,
    );
    assert.ok(!logged(run.stdout).includes(SECRET));
  });

  test('two custom headers that differ only in case fail the step, naming both, quoting neither value', async () => {
    const run = await runAction({
      inputs: inputs(),
      env: {
        PREFECT_CLIENT_CUSTOM_HEADERS: `{"X-Gateway-Token": "${SECRET}", "x-gateway-token": "${SECRET}-2"}`,
      },
    });
    assert.equal(run.exitCode, 1);
    assert.equal(stub.requests.length, 0);
    const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
    assert.deepEqual(errors, [
      '::error::PREFECT_CLIENT_CUSTOM_HEADERS has both "X-Gateway-Token" and "x-gateway-token", one header ' +
        '(header names ignore case): give it once.',
    ]);
    assert.ok(!logged(run.stdout).includes(SECRET));
  });

  test(
    'a CA file that reports 0 bytes and holds gigabytes fails at once, naming the variable',
    { skip: process.platform !== 'linux' },
    async () => {
      // /proc/self/pagemap: read to its end, it took 2.7 GB in 3 s and all memory in a minute.
      const run = await runAction({
        inputs: inputs(),
        env: { PREFECT_API_SSL_CERT_FILE: '/proc/self/pagemap' },
      });
      assert.equal(run.exitCode, 1, run.stderr);
      assert.equal(stub.requests.length, 0);
      const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
      assert.deepEqual(errors, [
        '::error::PREFECT_API_SSL_CERT_FILE names "/proc/self/pagemap", which is more than 10485760 bytes, more ' +
          'than any CA bundle: give the path of a PEM file of CA certificates.',
      ]);
    },
  );

  test('a header the action manages is ignored with a warning', async () => {
    const run = await runAction({
      inputs: inputs(),
      env: { PREFECT_CLIENT_CUSTOM_HEADERS: '{"User-Agent": "mine"}' },
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /::warning::PREFECT_CLIENT_CUSTOM_HEADERS sets User-Agent, which the action sets itself; it is ignored/,
    );
    assert.equal(stub.requests[2]?.headers['user-agent'], 'emit-prefect-event');
  });
});

describe('PREFECT_UI_URL', () => {
  test("links in the url output and the summary follow it, under the event's UTC date", async () => {
    const run = await runAction({
      inputs: { ...inputs(), occurred: '2026-01-31T23:30:00-05:00' },
      env: { PREFECT_UI_URL: 'https://prefect.acme.example/ui/' },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    const url = `https://prefect.acme.example/ui/events/event/2026-02-01/${run.outputs['event-id']}`;
    assert.equal(run.outputs.url, url);
    assert.ok(run.summary.includes(`[Open the event in Prefect](${url})`), run.summary);
  });
});
