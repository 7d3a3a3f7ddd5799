// End to end: the built dist/index.js, run the way the runner runs a step, against a Prefect stub.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPrefectStub, type PrefectStub } from './helpers/prefect-server.ts';
import { serverProblems } from './helpers/prefect-schema.ts';
import { runAction, RUNNER_CONTEXT } from './helpers/run-action.ts';

describe('dist/index.js as a workflow step', () => {
  let prefect: PrefectStub;
  before(async () => (prefect = await startPrefectStub()));
  after(() => prefect.close());

  test('emits one event with the workflow context and sets every output', async () => {
    prefect.requests.length = 0;
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
      related: [
        {
          'prefect.resource.id': 'github.workflow-run.1234567890',
          'prefect.resource.role': 'workflow-run',
          'prefect.resource.name': 'Release',
          'github.run-number': '42',
          'github.run-attempt': '2',
          'github.job': 'build',
          'github.event-name': 'push',
          'github.repository': 'octo-org/octo-repo',
          'github.url': 'https://github.com/octo-org/octo-repo/actions/runs/1234567890',
        },
        {
          'prefect.resource.id': `github.commit.${RUNNER_CONTEXT.GITHUB_SHA}`,
          'prefect.resource.role': 'commit',
          'github.repository': 'octo-org/octo-repo',
          'github.ref': 'refs/heads/main',
          'github.url': `https://github.com/octo-org/octo-repo/commit/${RUNNER_CONTEXT.GITHUB_SHA}`,
        },
        {
          'prefect.resource.id': 'github.repository.octo-org/octo-repo',
          'prefect.resource.role': 'repository',
          'prefect.resource.name': 'octo-org/octo-repo',
          'github.url': 'https://github.com/octo-org/octo-repo',
        },
        {
          'prefect.resource.id': 'github.user.octocat',
          'prefect.resource.role': 'actor',
          'prefect.resource.name': 'octocat',
          'github.url': 'https://github.com/octocat',
        },
      ],
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
});
