// End to end: the built dist/index.js, run the way the runner runs a step, against a Prefect stub.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startForwardProxy } from '../support/forward-proxy.ts';
import { visibleOf } from '../support/visible.ts';
import {
  startPrefectStub,
  type PrefectStub,
  type RecordedRequest,
  type Reply,
} from '../support/prefect-server.ts';
import { serverProblems } from '../support/prefect-schema.ts';
import { PUSH_CONTEXT_RELATED } from '../support/push-context.ts';
import { DIST_ENTRY, runAction } from '../../tools/runner.ts';

describe('dist/index.js as a workflow step', () => {
  let prefect: PrefectStub;
  before(async () => (prefect = await startPrefectStub()));
  after(() => prefect.close());

  test('emits one event with the workflow context and sets every output', async () => {
    prefect.reset();
    const run = await runAction({
      inputs: {
        event: 'acme.model.deployed',
        resource: 'acme.model.churn',
        payload: '{"version": "1.4.0"}',
        'api-url': `${prefect.apiUrl}/`,
        'api-key': 'pnu_secretkey123456',
      },
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(prefect.requests.length, 1);
    const [request] = prefect.requests;
    assert.equal(request?.method, 'POST');
    assert.equal(request?.url, '/api/events');
    assert.equal(request?.headers.authorization, 'Bearer pnu_secretkey123456');
    assert.equal(request?.headers['content-type'], 'application/json');
    assert.equal(request?.headers['content-length'], String(Buffer.byteLength(request?.body ?? '')));
    assert.deepEqual(serverProblems(request?.body ?? ''), []);
    const [event] = JSON.parse(request?.body ?? '') as Record<string, unknown>[];
    assert.deepEqual(event, {
      occurred: run.outputs.occurred,
      event: 'acme.model.deployed',
      resource: { 'prefect.resource.id': 'acme.model.churn' },
      related: PUSH_CONTEXT_RELATED,
      payload: { version: '1.4.0' },
      id: run.outputs['event-id'],
      follows: null,
    });
    assert.match(
      run.outputs['event-id'] ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.match(run.outputs.occurred ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(JSON.parse(run.outputs.event ?? ''), event);
    assert.equal(run.outputs.emitted, 'true');
    assert.equal(
      run.outputs.url,
      `${prefect.origin}/events/event/${run.outputs.occurred?.slice(0, 10)}/${event?.id}`,
    );
  });

  const sent = () => prefect.requests.map((request) => JSON.parse(request.body) as Record<string, unknown>[]);

  test('on a pull request, adds the pull request; without `resource`, the run is the primary resource', async () => {
    prefect.reset();
    const run = await runAction({
      eventName: 'pull_request',
      payload: {
        action: 'opened',
        number: 7,
        pull_request: {
          number: 7,
          title: 'Add churn model',
          html_url: 'https://github.com/octo-org/octo-repo/pull/7',
          head: { ref: 'feature/churn', sha: 'aaaabbbbccccddddeeeeffff0000111122223333' },
          base: { ref: 'main' },
        },
      },
      inputs: { event: 'acme.ci.checked', 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    const [[event]] = sent() as [[Record<string, unknown>]];
    const resource = event.resource as Record<string, string>;
    const related = event.related as Record<string, string>[];
    assert.equal(resource['prefect.resource.id'], 'github.workflow-run.1234567890');
    assert.equal(resource['prefect.resource.role'], undefined);
    assert.equal(resource['github.event-name'], 'pull_request');
    assert.deepEqual(
      related.map((r) => r['prefect.resource.role']),
      ['commit', 'repository', 'actor', 'pull-request'],
    );
    assert.deepEqual(related[3], {
      'prefect.resource.id': 'github.pull-request.octo-org/octo-repo/7',
      'prefect.resource.role': 'pull-request',
      'prefect.resource.name': 'Add churn model',
      'github.number': '7',
      'github.url': 'https://github.com/octo-org/octo-repo/pull/7',
      'github.head-ref': 'feature/churn',
      'github.head-sha': 'aaaabbbbccccddddeeeeffff0000111122223333',
      'github.base-ref': 'main',
    });
    assert.deepEqual(serverProblems(prefect.requests[0]?.body ?? ''), []);
  });

  test('github-context: false sends only the given resources', async () => {
    prefect.reset();
    const run = await runAction({
      inputs: {
        event: 'acme.model.deployed',
        resource: '{"prefect.resource.id": "acme.model.churn", "acme.version": 3, "acme.live": true}',
        related: '[{"prefect.resource.id": "acme.team.data", "prefect.resource.role": "owner"}]',
        'github-context': 'false',
        'api-url': prefect.apiUrl,
      },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    const [[event]] = sent() as [[Record<string, unknown>]];
    assert.deepEqual(event.resource, {
      'prefect.resource.id': 'acme.model.churn',
      'acme.version': '3',
      'acme.live': 'true',
    });
    assert.deepEqual(event.related, [
      { 'prefect.resource.id': 'acme.team.data', 'prefect.resource.role': 'owner' },
    ]);
  });

  test('with no API URL anywhere: sends nothing, warns, succeeds, and still sets the outputs', async () => {
    prefect.reset();
    const run = await runAction({ inputs: { event: 'acme.model.deployed', resource: 'acme.model.churn' } });
    assert.equal(run.exitCode, 0);
    assert.equal(prefect.requests.length, 0);
    assert.match(run.stdout, /^::warning::No Prefect API URL: set the api-url input or PREFECT_API_URL/m);
    assert.equal(run.outputs.emitted, 'false');
    assert.equal(run.outputs.url, '');
    assert.equal(JSON.parse(run.outputs.event ?? '{}').id, run.outputs['event-id']);
    assert.match(run.summary, /\| Outcome \| ⏭️ skipped: no API URL \|/);
  });

  test('PREFECT_API_URL and PREFECT_API_KEY are used when the inputs are not given', async () => {
    prefect.reset();
    const run = await runAction({
      inputs: { event: 'acme.model.deployed', resource: 'acme.model.churn' },
      env: { PREFECT_API_URL: prefect.apiUrl, PREFECT_API_KEY: 'pnu_fromenv' },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.equal(prefect.requests[0]?.headers.authorization, 'Bearer pnu_fromenv');
    assert.equal(run.outputs.emitted, 'true');
  });

  test('auth-string is sent as Basic auth', async () => {
    prefect.reset();
    const run = await runAction({
      inputs: { event: 'a.b', resource: 'x', 'api-url': prefect.apiUrl, 'auth-string': 'admin:pass' },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.equal(
      prefect.requests[0]?.headers.authorization,
      `Basic ${Buffer.from('admin:pass').toString('base64')}`,
    );
  });

  test('dry-run prints the event and sends nothing', async () => {
    prefect.reset();
    const run = await runAction({
      inputs: {
        event: 'acme.model.deployed',
        resource: 'acme.model.churn',
        'dry-run': 'true',
        'api-url': prefect.apiUrl,
      },
    });
    assert.equal(run.exitCode, 0);
    assert.equal(prefect.requests.length, 0);
    const printed = run.stdout.slice(run.stdout.indexOf('{'), run.stdout.lastIndexOf('}') + 1);
    assert.deepEqual(JSON.parse(printed), JSON.parse(run.outputs.event ?? ''));
    assert.match(run.stdout, /Dry run: this event would be sent to http:\/\/127\.0\.0\.1:\d+\/api:/);
    assert.equal(run.outputs.emitted, 'false');
    assert.match(run.summary, /🧪 dry run: not sent/);
  });

  for (const [name, inputs, message] of [
    [
      'a missing event',
      { event: '' },
      'Input "event" is required (or "events" or "events-file" for several events): name the event, e.g. "acme.model.deployed".',
    ],
    [
      'a related resource without a role',
      { event: 'a.b', related: '[{"prefect.resource.id": "x"}]' },
      'Input "related" is invalid at [0]: it needs a non-empty "prefect.resource.role" label.',
    ],
    [
      'a payload that is not JSON',
      { event: 'a.b', payload: '{"a": 1,,}' },
      'Input "payload" is not valid JSON',
    ],
    [
      'a lone UTF-16 surrogate in a label (Prefect answers 500 to it)',
      { event: 'a.b', resource: '{"prefect.resource.id": "x", "acme.note": "cut \\ud83d"}' },
      'Input "resource" makes an event Prefect would not take at resource."acme.note": it holds a lone UTF-16 ' +
        'surrogate (\\ud83d), half of a character such as an emoji cut in two, which Prefect answers with 500 ' +
        'Internal Server Error every time (the whole request would be lost): remove it or write the whole ' +
        'character.',
    ],
    [
      'a bad timeout',
      { event: 'a.b', timeout: '0' },
      'Input "timeout" must be a number of seconds more than 0 and at most 300, not "0".',
    ],
  ] as const) {
    test(`fails the step on ${name}, names the input, and sends nothing`, async () => {
      prefect.reset();
      const run = await runAction({ inputs: { resource: 'x', 'api-url': prefect.apiUrl, ...inputs } });
      assert.equal(run.exitCode, 1);
      assert.equal(prefect.requests.length, 0);
      assert.ok(run.stdout.includes(`::error::${message}`), run.stdout);
      assert.equal(run.outputs['event-id'], undefined);
    });
  }

  test('a server error fails the step with the status and the server detail', async () => {
    prefect.reset();
    prefect.script.push({
      status: 422,
      body: '{"exception_message":"Invalid request","exception_detail":[{"msg":"bad label"}],"request_body":[]}',
    });
    const run = await runAction({ inputs: { event: 'a.b', resource: 'x', 'api-url': prefect.apiUrl } });
    assert.equal(run.exitCode, 1);
    assert.match(
      run.stdout,
      /::error::Prefect did not accept the event: POST http:\/\/127\.0\.0\.1:\d+\/api\/events answered 422 Unprocessable Entity: \[\{"msg":"bad label"\}\] \(1 attempt\)/,
    );
    assert.equal(run.outputs.emitted, 'false');
    assert.match(run.summary, /❌ failed/);
  });

  test('fail-on-error: false turns a delivery failure into a warning', async () => {
    prefect.reset();
    prefect.script.push({ status: 401, body: '{"detail":"Invalid authentication credentials"}' });
    const run = await runAction({
      inputs: { event: 'a.b', resource: 'x', 'api-url': prefect.apiUrl, 'fail-on-error': 'false' },
    });
    assert.equal(run.exitCode, 0);
    assert.match(
      run.stdout,
      /^::warning::Prefect did not accept the event: .*401 Unauthorized: Invalid authentication credentials.*manage_events.*fail-on-error is false/m,
    );
    assert.equal(run.outputs.emitted, 'false');
  });

  test('fail-on-error: false does not excuse a bad input', async () => {
    prefect.reset();
    const run = await runAction({
      inputs: { event: 'a.b', resource: 'x', id: 'nope', 'fail-on-error': 'false' },
    });
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::Input "id" must be a UUID/);
  });

  test('a retryable answer is retried with the same event, honouring Retry-After', async () => {
    prefect.reset();
    prefect.script.push({ status: 503, headers: { 'retry-after': '0' }, body: 'busy' });
    const run = await runAction({
      inputs: { event: 'a.b', resource: 'x', 'api-url': prefect.apiUrl },
      env: { ACTIONS_STEP_DEBUG: 'true' },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.equal(prefect.requests.length, 2);
    assert.equal(prefect.requests[0]?.body, prefect.requests[1]?.body);
    assert.match(run.stdout, /::debug::Attempt 1\/4: POST .* answered 503 Service Unavailable: busy\./);
    assert.match(run.stdout, /Emitted a\.b \(.*\) to .* after 2 attempts/);
  });

  test('secrets never reach the logs, outputs or summary, even when the server echoes them', async () => {
    for (const credentials of [
      { 'api-key': 'pnu_SECRET_KEY_123' },
      { 'auth-string': 'admin:S3CRET-pass' },
    ] as Record<string, string>[]) {
      prefect.reset();
      // Failing answers that quote the request's Authorization header back, as some servers and proxies do.
      const echo = (request: RecordedRequest): Reply => ({
        status: 500,
        headers: { 'retry-after': '0' },
        body: JSON.stringify({ detail: `bad auth ${String(request.headers.authorization)}` }),
      });
      prefect.script.push(echo, echo);
      const run = await runAction({
        inputs: {
          event: 'a.b',
          resource: 'x',
          'api-url': prefect.apiUrl,
          retries: '1',
          summary: 'true',
          ...credentials,
        },
        env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' },
      });
      assert.equal(run.exitCode, 1);
      assert.equal(prefect.requests.length, 2);
      assert.match(
        run.stdout,
        /::error::.*answered 500 Internal Server Error: bad auth (Bearer|Basic) \*\*\*/,
      );
      // The key travels as itself; the auth string as itself, in base64, and holding the password.
      const secrets = Object.values(credentials).flatMap((value) =>
        value.includes(':')
          ? [value, Buffer.from(value).toString('base64'), value.split(':')[1] ?? '']
          : [value],
      );
      const visible = visibleOf(run);
      for (const secret of secrets) assert.ok(!visible.includes(secret), `${secret} leaked`);
      for (const secret of secrets)
        assert.ok(run.stdout.includes(`::add-mask::${secret}`), `${secret} not masked`);
    }
  });

  test('chains follows from the event output of an earlier step', async () => {
    prefect.reset();
    const first = await runAction({
      inputs: { event: 'acme.build.done', resource: 'x', 'api-url': prefect.apiUrl },
    });
    const second = await runAction({
      inputs: {
        event: 'acme.deploy.done',
        resource: 'x',
        'api-url': prefect.apiUrl,
        follows: first.outputs.event ?? '',
      },
    });
    assert.equal(second.exitCode, 0, second.stdout);
    const [, [event]] = sent() as [unknown, [Record<string, unknown>]];
    assert.equal(event.follows, first.outputs['event-id']);

    const old = JSON.stringify({
      id: '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f',
      occurred: '2020-01-01T00:00:00Z',
    });
    const late = await runAction({
      inputs: { event: 'a.b', resource: 'x', 'dry-run': 'true', follows: old },
    });
    assert.equal(JSON.parse(late.outputs.event ?? '').follows, null);
    assert.match(
      late.stdout,
      /^::notice::"follows" was left out: event 0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f occurred/m,
    );
  });

  test('payload-file is read relative to GITHUB_WORKSPACE', async () => {
    prefect.reset();
    const run = await runAction({
      files: { 'payload.json': '{"rows": 1200, "models": ["churn"]}' },
      inputs: { event: 'a.b', resource: 'x', 'payload-file': 'payload.json', 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.deepEqual(sent()[0]?.[0]?.payload, { rows: 1200, models: ['churn'] });
  });

  test('goes through HTTP_PROXY when set, and around it for NO_PROXY hosts', async () => {
    const proxy = await startForwardProxy();
    try {
      prefect.reset();
      const via = await runAction({
        inputs: { event: 'a.b', resource: 'x', 'api-url': prefect.apiUrl },
        env: { HTTP_PROXY: proxy.url },
      });
      assert.equal(via.exitCode, 0, via.stdout);
      assert.deepEqual(proxy.seen, [`POST ${prefect.apiUrl}/events`]);
      assert.equal(prefect.requests.length, 1);

      const around = await runAction({
        inputs: { event: 'a.b', resource: 'x', 'api-url': prefect.apiUrl },
        env: { HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,127.0.0.1' },
      });
      assert.equal(around.exitCode, 0, around.stdout);
      assert.equal(proxy.seen.length, 1);
      assert.equal(prefect.requests.length, 2);
    } finally {
      await proxy.close();
    }
  });

  test('writes the job summary with the outcome and the link to the event', async () => {
    prefect.reset();
    const run = await runAction({
      inputs: { event: 'acme.model.deployed', resource: 'acme.model.churn', 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 0);
    assert.match(run.summary, /^### Prefect event acme\.model\.deployed$/m);
    assert.match(run.summary, /^\| Outcome \| ✅ emitted \|$/m);
    assert.ok(run.summary.includes(`| Prefect | [Open the event in Prefect](${run.outputs.url}) |`));
  });

  test('an event over Prefect rules made of valid inputs names the input behind it', async () => {
    prefect.reset();
    const related = JSON.stringify(
      Array.from({ length: 98 }, (_, i) => ({
        'prefect.resource.id': `acme.item.${i}`,
        'prefect.resource.role': 'item',
      })),
    );
    const tooMany = await runAction({
      inputs: { event: 'a.b', resource: 'x', related, 'api-url': prefect.apiUrl },
    });
    assert.equal(tooMany.exitCode, 1);
    assert.ok(
      tooMany.stdout.includes(
        '::error::Input "related" gives 98 related resources; with the 4 from the workflow context that is more than ' +
          "Prefect's limit of 100 (github-context: false leaves those out).",
      ),
      tooMany.stdout,
    );

    const big = await runAction({
      // Under the file's limit (an event's), over the event's once the resources and fields are added.
      files: { 'big.json': JSON.stringify({ blob: 'x'.repeat(1_499_900) }) },
      inputs: { event: 'a.b', resource: 'x', 'payload-file': 'big.json', 'api-url': prefect.apiUrl },
    });
    assert.equal(big.exitCode, 1);
    assert.match(
      big.stdout,
      /::error::Input "payload-file" makes an event Prefect would not take: it is \d+ bytes as JSON, and Prefect silently drops events over 1500000 bytes \(128 of them kept for fields the server adds\): make the payload smaller\.$/m,
    );
    assert.equal(prefect.requests.length, 0);
  });

  test('a 200 from something that is not Prefect (a login page) is a failure, not emitted', async () => {
    prefect.reset();
    prefect.script.push({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html>Sign in</html>',
    });
    const run = await runAction({ inputs: { event: 'a.b', resource: 'x', 'api-url': prefect.apiUrl } });
    assert.equal(run.exitCode, 1);
    assert.equal(run.outputs.emitted, 'false');
    assert.equal(run.outputs.url, '');
    assert.match(run.stdout, /::error::.*answered 200 OK.*not the 204 of Prefect's events API/);
  });

  test('an event from JSON inputs loads dist/index.js alone, and not node:crypto', async () => {
    // Every start-up reads and compiles one file (DESIGN §5); YAML, wait-for and workflow-run load theirs. And
    // node:crypto's modules take ~5 ms to compile: ids take their random bytes from /dev/urandom.
    const copy = mkdtempSync(join(tmpdir(), 'dist-entry-alone-'));
    try {
      copyFileSync(DIST_ENTRY, join(copy, 'index.js'));
      const loaded = join(copy, 'loaded.txt');
      const preload = join(copy, 'record-built-ins.cjs');
      writeFileSync(
        preload,
        `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, process.moduleLoadList.join('\\n')));`,
      );
      prefect.reset();
      const run = await runAction({
        entry: join(copy, 'index.js'),
        inputs: {
          event: 'acme.model.deployed',
          resource: '{"prefect.resource.id": "acme.model.churn"}',
          payload: '{"version": "1.4.0"}',
          'api-url': prefect.apiUrl,
        },
        env: { NODE_OPTIONS: `--require ${preload}` },
      });
      assert.equal(run.exitCode, 0, run.stdout + run.stderr);
      assert.equal(run.outputs.emitted, 'true');
      assert.equal(prefect.requests.length, 1);
      const modules = readFileSync(loaded, 'utf8').split('\n');
      assert.ok(modules.includes('NativeModule http'));
      assert.ok(!modules.includes('NativeModule crypto'));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
