// End to end: the main step, then the post step, as the runner runs them (GITHUB_STATE written by the main
// step, given back as STATE_*; job-status evaluated again), against a Prefect stub.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { serverProblems } from '../support/prefect-schema.ts';
import { runPost, runSteps } from '../../tools/runner.ts';

type Event = Record<string, unknown> & { payload: Record<string, unknown> };

describe('the job lifecycle: dist/index.js, then dist/post.js', () => {
  let prefect: PrefectStub;
  before(async () => (prefect = await startPrefectStub()));
  after(() => prefect.close());
  beforeEach(() => prefect.reset());

  const sent = () => prefect.requests.map((request) => (JSON.parse(request.body) as Event[])[0] as Event);
  /** A deploy job's start event, with the end event named after the job's status. */
  const deploy = () => ({
    event: 'acme.deploy.started',
    resource: 'acme.deploy.prod',
    'job-end-event': 'acme.deploy.{status}',
    'api-url': prefect.apiUrl,
  });

  for (const status of ['success', 'failure', 'cancelled']) {
    test(`job status ${status}: exactly one acme.deploy.${status} event at the end, tied to the start`, async () => {
      const { main, post } = await runSteps({
        inputs: { ...deploy(), 'api-key': 'pnu_lifecycle_secret_1234' },
        post: { jobStatus: status },
      });
      assert.equal(main.exitCode, 0, main.stdout);
      assert.equal(post.exitCode, 0, post.stdout);
      assert.equal(prefect.requests.length, 2);
      for (const request of prefect.requests) assert.deepEqual(serverProblems(request.body), []);
      const [start, end] = sent();
      assert.ok(start && end);
      assert.equal(end.event, `acme.deploy.${status}`);
      assert.deepEqual(end.resource, start.resource);
      assert.deepEqual(end.related, start.related);
      assert.equal(end.follows, start.id);
      assert.deepEqual(Object.keys(end.payload), ['status', 'started', 'duration_seconds', 'start_event_id']);
      assert.equal(end.payload.status, status);
      assert.equal(end.payload.started, start.occurred);
      assert.equal(end.payload.start_event_id, start.id);
      const duration = end.payload.duration_seconds as number;
      const apart = (Date.parse(end.occurred as string) - Date.parse(start.occurred as string)) / 1000;
      assert.ok(duration >= 0 && Math.abs(duration - apart) < 0.002, `${duration} vs ${apart}`);
      assert.equal(prefect.requests[1]?.headers.authorization, 'Bearer pnu_lifecycle_secret_1234');
      assert.ok(post.summary.includes(`acme.deploy.${status}`), post.summary);
      // Registered with the runner for masking, and nowhere else.
      assert.ok(post.stdout.includes('::add-mask::pnu_lifecycle_secret_1234'));
      const logged = `${post.stdout}${post.stderr}`
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'));
      assert.equal(logged.join('\n').includes('pnu_lifecycle_secret_1234'), false);
    });
  }

  test('a start more than 5 minutes before the end: follows left out, the start id still in the payload', async () => {
    const occurred = new Date(Date.now() - 10 * 60_000).toISOString();
    await runSteps({
      inputs: {
        event: 'acme.deploy.started',
        occurred,
        'job-end-event': 'acme.deploy.{status}',
        'api-url': prefect.apiUrl,
      },
    });
    const [start, end] = sent();
    assert.equal(end?.follows, null);
    assert.equal(end?.payload.start_event_id, start?.id);
    assert.ok((end?.payload.duration_seconds as number) >= 600);
  });

  test('a start event Prefect did not accept is not followed: the end event is tied by its payload alone', async () => {
    // The deploy failed, and so did the start event's delivery: the end event must not wait in Prefect for a
    // leader it will never see (up to 15 minutes), or the automation on acme.deploy.failure fires late.
    prefect.script.push({ status: 500 });
    const { main, post } = await runSteps({
      inputs: { ...deploy(), retries: '0' },
    });
    assert.equal(main.exitCode, 1);
    assert.equal(main.outputs.emitted, 'false');
    assert.equal(post.exitCode, 0, post.stdout);
    assert.equal(prefect.requests.length, 2);
    const [start, end] = sent();
    assert.equal(end?.event, 'acme.deploy.failure');
    assert.equal(end?.follows, null);
    assert.equal(end?.payload.start_event_id, start?.id);
    assert.deepEqual(end?.resource, start?.resource);
    assert.ok(post.summary.includes('| Follows | — |'), post.summary);
  });

  for (const [name, state, problem] of [
    ['not JSON', '{"id": ', 'is not JSON'],
    ['null', 'null', 'is null instead of an object'],
    ['related: null', 'related:null', 'has a "related" that is not a list'],
    ['related: 5', 'related:5', 'has a "related" that is not a list'],
    ['an id and occurred that are not', 'id-occurred', 'has an "id" that is not a UUID'],
  ] as const) {
    test(`a saved state that is ${name}: the post step fails in one sentence and sends nothing`, async () => {
      const start = {
        id: '0190b7c8-3f1e-7a2b-8c4d-5e6f708192a3',
        occurred: new Date().toISOString(),
        resource: { 'prefect.resource.id': 'acme.deploy.prod' },
        related: [],
        emitted: true,
      };
      const saved: Record<string, string> = {
        'related:null': JSON.stringify({ ...start, related: null }),
        'related:5': JSON.stringify({ ...start, related: 5 }),
        'id-occurred': JSON.stringify({ ...start, id: 'x', occurred: 'y' }),
      };
      const post = await runPost({
        inputs: { 'job-end-event': 'acme.deploy.{status}', 'api-url': prefect.apiUrl },
        state: { 'start-event': saved[state] ?? state },
      });
      assert.equal(post.exitCode, 1);
      assert.equal(
        post.stdout,
        '::error::The state the main step handed to the post step (STATE_start-event) is not what this ' +
          `action saves there: it ${problem}; no job-end event was sent.\n`,
      );
      assert.equal(post.summary, '');
      assert.deepEqual(post.outputs, {});
      assert.equal(prefect.requests.length, 0);
    });
  }

  test('without job-end-event: the post step sends nothing and says nothing', async () => {
    const { main, post } = await runSteps({
      inputs: { event: 'acme.deploy.started', 'api-url': prefect.apiUrl },
    });
    assert.equal(main.exitCode, 0);
    assert.deepEqual(main.state, {});
    assert.equal(post.exitCode, 0);
    assert.equal(post.stdout, '');
    assert.equal(prefect.requests.length, 1);
  });

  test('a main step that built no event (bad input): nothing at the end', async () => {
    const { main, post } = await runSteps({
      inputs: {
        event: 'acme.deploy.started',
        payload: '[1]',
        'job-end-event': 'acme.deploy.{status}',
        'api-url': prefect.apiUrl,
      },
    });
    assert.equal(main.exitCode, 1);
    assert.equal(post.exitCode, 0);
    assert.equal(post.stdout, '');
    assert.equal(prefect.requests.length, 0);
  });

  test('a dry run prints the end event instead of sending it', async () => {
    const { post } = await runSteps({
      inputs: {
        event: 'acme.deploy.started',
        'dry-run': 'true',
        'job-end-event': 'acme.deploy.{status}',
        'api-url': prefect.apiUrl,
      },
      post: { jobStatus: 'failure' },
    });
    assert.equal(post.exitCode, 0);
    assert.match(post.stdout, /Dry run: this event would be sent/);
    assert.match(post.stdout, /"event": "acme\.deploy\.failure"/);
    assert.equal(prefect.requests.length, 0);
  });

  test('without an API URL: the main step warns once, the post step is silent', async () => {
    const { main, post } = await runSteps({
      inputs: { event: 'acme.deploy.started', 'job-end-event': 'acme.deploy.{status}' },
    });
    assert.match(main.stdout, /::warning::No Prefect API URL/);
    assert.equal(post.stdout, '');
  });

  test('delivery at the end retries and honours fail-on-error like the main step', async () => {
    prefect.script.push({ status: 204 }, { status: 503 }, { status: 500 });
    const { post } = await runSteps({
      inputs: {
        event: 'acme.deploy.started',
        'job-end-event': 'acme.deploy.{status}',
        'api-url': prefect.apiUrl,
        retries: '1',
        'fail-on-error': 'false',
      },
    });
    assert.equal(post.exitCode, 0);
    assert.equal(prefect.requests.length, 3);
    assert.equal(prefect.requests[1]?.body, prefect.requests[2]?.body);
    assert.match(post.stdout, /::warning::Prefect did not accept the event: .*500.*fail-on-error is false/);
  });

  test('a bad job-end-event fails the main step before anything is sent', async () => {
    const { main } = await runSteps({
      inputs: {
        event: 'acme.deploy.started',
        'job-end-event': 'acme.deploy.\n{status}',
        'api-url': prefect.apiUrl,
      },
    });
    assert.equal(main.exitCode, 1);
    assert.match(main.stdout, /::error::Input "job-end-event" must not hold control characters/);
    assert.equal(prefect.requests.length, 0);
  });
});
