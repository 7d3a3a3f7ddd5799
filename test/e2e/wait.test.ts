// End to end: wait-for through the built dist/, run as the runner runs a step, against the Prefect stub
// playing automations and flow runs (test/support/prefect-automations.ts). Real time passes here, so waits are
// short (wait-timeout) and the tests run side by side, each with a stub of its own.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { after, describe, test } from 'node:test';
import { DIST_ENTRY, runAction, type ActionRun } from '../../tools/runner.ts';
import { LOADED_FILES_PRELOAD } from '../support/loaded-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startForwardProxy } from '../support/forward-proxy.ts';
import { automationWorld, type StubAutomation, type StubRun } from '../support/prefect-automations.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';

const stubs: PrefectStub[] = [];
after(() => Promise.all(stubs.map((stub) => stub.close())));

const RUN_1 = '00000000-0000-4000-8000-000000000001';
const RUN_2 = '00000000-0000-4000-8000-000000000002';

function run(id: string, name: string, states?: StubRun['states'], logs?: StubRun['logs']): StubRun {
  return {
    id,
    name,
    deployment: { id: `${id.slice(0, -1)}d`, name: `${name}-deployment` },
    ...(states && { states }),
    ...(logs && { logs }),
  };
}

/** An automation that runs a deployment when `acme.data.deployed` arrives; its events readable on the 2nd look. */
const runs = (id: string, flowRun: StubRun): StubAutomation => ({
  id,
  name: `Run ${flowRun.name}`,
  expect: ['acme.data.deployed'],
  actions: [{ type: 'run-deployment', run: flowRun }],
  delay: 2,
});

async function step(
  automations: StubAutomation[],
  inputs: Record<string, string>,
  options: { csrf?: boolean; env?: Record<string, string> } = {},
): Promise<ActionRun & { stub: PrefectStub }> {
  const world = automationWorld(automations);
  const stub = await startPrefectStub([], undefined, {
    route: world.route,
    ...(options.csrf && { csrf: true }),
  });
  stubs.push(stub);
  const result = await runAction({
    inputs: {
      event: 'acme.data.deployed',
      resource: 'acme.model.churn',
      'api-url': stub.apiUrl,
      'wait-for': 'flow-runs',
      ...inputs,
    },
    ...(options.env && { env: options.env }),
  });
  return { ...result, stub };
}

// The step's own error: the last ::error:: line (a flow's log lines may hold the text, inside stop-commands).
const errorLine = (run: ActionRun) => [...run.stdout.matchAll(/^::error::(.*)$/gm)].at(-1)?.[1] ?? '';
const json = (text: string | undefined) => JSON.parse(text ?? 'null') as Record<string, unknown>[];

describe('wait-for through dist/index.js', { concurrency: true }, () => {
  test('flow-runs: green when the run the automation started completed; outputs and summary say so', async () => {
    const result = await step([runs('a1', run(RUN_1, 'brave-otter'))], { 'wait-timeout': '30' });
    assert.equal(result.exitCode, 0, result.stdout);
    const id = result.outputs['event-id'] ?? '';
    assert.match(
      result.stdout,
      /^Waiting up to 30 s for Prefect's automations and the flow runs they start on the event…$/m,
    );
    assert.match(
      result.stdout,
      new RegExp(`^Automation "Run brave-otter" fired on acme.data.deployed \\(${id}\\), \\d+ s\\.$`, 'm'),
    );
    for (const state of ['SCHEDULED', 'PENDING', 'RUNNING', 'COMPLETED']) {
      const lines = result.stdout.match(
        new RegExp(
          `^Flow run "brave-otter" \\(deployment brave-otter-deployment\\): ${state}, \\d+ s\\.$`,
          'gm',
        ),
      );
      assert.equal(lines?.length, 1, `${state} logged once:\n${result.stdout}`);
    }
    assert.match(result.stdout, /^Done in \d+ s: 1 automation firing finished, 1 flow run completed\.$/m);
    const ui = result.stub.origin;
    assert.deepEqual(json(result.outputs.automations), [
      {
        id: 'a1',
        name: 'Run brave-otter',
        url: `${ui}/automations/automation/a1`,
        event_id: id,
        actions: [{ index: 0, type: 'run-deployment', outcome: 'executed', flow_run_id: RUN_1 }],
      },
    ]);
    assert.deepEqual(json(result.outputs['flow-runs']), [
      {
        id: RUN_1,
        name: 'brave-otter',
        deployment_id: `${RUN_1.slice(0, -1)}d`,
        state_type: 'COMPLETED',
        state_name: 'Completed',
        url: `${ui}/runs/flow-run/${RUN_1}`,
      },
    ]);
    assert.ok(
      result.summary.includes(
        `| acme.data.deployed (${id}) | Run brave-otter | 1. run-deployment&#58; executed | brave-otter | COMPLETED | [Open in Prefect](${ui}/runs/flow-run/${RUN_1}) |`,
      ),
      result.summary,
    );
  });

  test("flow-runs: red with the run's own log lines when it failed", async () => {
    const failed = run(
      RUN_1,
      'sad-heron',
      [
        ['RUNNING', 'Running'],
        ['FAILED', 'Failed', 'Flow run encountered an exception: ValueError: row count 0'],
      ],
      [
        { level: 20, message: 'loading rows' },
        { level: 40, message: 'boom: row count 0\n::error::not a command' },
      ],
    );
    const result = await step([runs('a1', failed)], { 'wait-timeout': '30' });
    assert.equal(result.exitCode, 1);
    assert.equal(
      errorLine(result),
      `The flow run "sad-heron" (deployment sad-heron-deployment) ended FAILED (Flow run encountered an exception: ` +
        `ValueError: row count 0): ${result.stub.origin}/runs/flow-run/${RUN_1}; its last log lines are in the group above.`,
    );
    const group =
      /^::group::The last 2 log lines of flow run "sad-heron" \(deployment sad-heron-deployment\)\n::stop-commands::([0-9a-f-]+)\n([\s\S]*?)\n::\1::\n::endgroup::$/m.exec(
        result.stdout,
      );
    assert.ok(group, result.stdout);
    assert.deepEqual(group[2]?.split('\n'), [
      '2026-12-05T01:00:00.000Z INFO loading rows',
      '2026-12-05T01:00:01.000Z ERROR boom: row count 0',
      '::error::not a command',
    ]);
  });

  test("an action that failed: red with Prefect's reason", async () => {
    const broken: StubAutomation = {
      id: 'a1',
      name: 'Run the refresh',
      expect: ['acme.data.deployed'],
      actions: [{ type: 'run-deployment', fails: 'Deployment 1234 not found', run: run(RUN_1, 'never-run') }],
    };
    const result = await step([broken], { 'wait-timeout': '30' });
    assert.equal(result.exitCode, 1);
    assert.equal(
      errorLine(result),
      `Automation "Run the refresh" fired on acme.data.deployed (${result.outputs['event-id']}), but its action 1 ` +
        `(run-deployment) failed: Deployment 1234 not found: ${result.stub.origin}/automations/automation/a1.`,
    );
    assert.deepEqual(json(result.outputs.automations)[0]?.actions, [
      { index: 0, type: 'run-deployment', outcome: 'failed', reason: 'Deployment 1234 not found' },
    ]);
  });

  test('two automations on one event are both awaited, whole', async () => {
    const result = await step(
      [runs('a1', run(RUN_1, 'first-run')), { ...runs('a2', run(RUN_2, 'second-run')), delay: 4 }],
      {
        'wait-timeout': '30',
      },
    );
    assert.equal(result.exitCode, 0, result.stdout);
    assert.deepEqual(
      json(result.outputs['flow-runs']).map((r) => [r.name, r.state_type]),
      [
        ['first-run', 'COMPLETED'],
        ['second-run', 'COMPLETED'],
      ],
    );
  });

  test('a batch: the runs of every event of the step', async () => {
    const result = await step([runs('a1', run(RUN_1, 'batch-run'))], {
      event: '',
      events: JSON.stringify([
        { event: 'acme.data.deployed' },
        { event: 'acme.data.checked' },
        { event: 'acme.data.deployed' },
      ]),
      'wait-timeout': '30',
    });
    assert.equal(result.exitCode, 0, result.stdout);
    const ids = json(result.outputs['event-ids']) as unknown as string[];
    assert.deepEqual(
      json(result.outputs.automations).map((a) => a.event_id),
      [ids[0], ids[2]],
    );
    assert.match(
      result.summary,
      new RegExp(
        `\\| acme\\.data\\.checked \\(${ids[1]}\\) \\| no automation fired \\| — \\| — \\| — \\| — \\|`,
      ),
    );
  });

  test('no automation fires: red, naming the event and what to check', async () => {
    const result = await step([], { 'wait-for': 'automations', 'wait-timeout': '2.5' });
    assert.equal(result.exitCode, 1);
    assert.equal(
      errorLine(result),
      `No automation fired on event acme.data.deployed (${result.outputs['event-id']}) within 2.5 s (wait-timeout). ` +
        'Check the automation\'s trigger: its "expect" must name the event and its "match" (and "match_related") must ' +
        'fit the event\'s resources; an event with "follows" is held up to 15 minutes until Prefect has seen the ' +
        'event it follows, and a proactive trigger fires only when its "within" window ends.',
    );
    assert.equal(result.outputs.automations, '[]');
  });

  test('timeout: red, "still running", and the run goes on in Prefect', async () => {
    const result = await step([runs('a1', run(RUN_1, 'slow-run', [['RUNNING', 'Running']]))], {
      'wait-timeout': '4',
    });
    assert.equal(result.exitCode, 1);
    assert.equal(
      errorLine(result),
      `Prefect's work on the event did not finish within 4 s (wait-timeout): flow run "slow-run" (deployment ` +
        `slow-run-deployment) is still running, last state RUNNING: ${result.stub.origin}/runs/flow-run/${RUN_1}. ` +
        'It goes on in Prefect; this step stopped waiting.',
    );
  });

  test('timeout with fail-on-error: false is a warning, and the step succeeds', async () => {
    const result = await step([runs('a1', run(RUN_1, 'slow-run', [['RUNNING', 'Running']]))], {
      'wait-timeout': '4',
      'fail-on-error': 'false',
    });
    assert.equal(result.exitCode, 0);
    assert.match(
      result.stdout,
      /^::warning::Prefect's work on the event did not finish within 4 s \(wait-timeout\): .* It goes on in Prefect; this step stopped waiting \(fail-on-error is false, so the step succeeds\)\.$/m,
    );
  });

  test('basic auth and a CSRF server: every read carries the credentials; one token serves all the reads', async () => {
    const result = await step(
      [runs('a1', run(RUN_1, 'guarded-run'))],
      { 'wait-timeout': '30', 'auth-string': 'admin:s3cret-pw' },
      { csrf: true },
    );
    assert.equal(result.exitCode, 0, result.stdout);
    const reads = result.stub.requests.filter((r) => !r.url.startsWith('/api/csrf-token'));
    assert.ok(
      reads.every(
        (r) => r.headers.authorization === `Basic ${Buffer.from('admin:s3cret-pw').toString('base64')}`,
      ),
    );
    // One token for sending the event, one for the reads (events/filter, logs/filter), however many there are.
    assert.equal(result.stub.requests.filter((r) => r.url.startsWith('/api/csrf-token')).length, 2);
    assert.ok(result.stub.requests.filter((r) => r.url === '/api/events/filter').length > 2);
    const logged = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    assert.ok(!logged.join('\n').includes('s3cret-pw'));
  });

  test('through HTTP_PROXY, with PREFECT_CLIENT_CUSTOM_HEADERS on every read', async () => {
    const proxy = await startForwardProxy();
    try {
      const result = await step(
        [runs('a1', run(RUN_1, 'proxied-run'))],
        { 'wait-timeout': '30' },
        {
          env: {
            HTTP_PROXY: proxy.url,
            PREFECT_CLIENT_CUSTOM_HEADERS: '{"X-Gateway-Token": "gw-secret-123"}',
          },
        },
      );
      assert.equal(result.exitCode, 0, result.stdout);
      const origin = result.stub.origin;
      for (const path of [
        '/api/events',
        '/api/events/filter',
        '/api/automations/a1',
        '/api/flow_runs/filter',
      ]) {
        assert.ok(
          proxy.seen.some((line) => line.endsWith(` ${origin}${path}`)),
          `${path} via the proxy: ${proxy.seen.join(', ')}`,
        );
      }
      assert.ok(result.stub.requests.every((r) => r.headers['x-gateway-token'] === 'gw-secret-123'));
    } finally {
      await proxy.close();
    }
  });

  test('a 429 with Retry-After while reading is waited out', async () => {
    const world = automationWorld([runs('a1', run(RUN_1, 'busy-run'))]);
    world.faults.set('POST /api/flow_runs/filter', [{ status: 429, headers: { 'retry-after': '0' } }]);
    const stub = await startPrefectStub([], undefined, { route: world.route });
    stubs.push(stub);
    const result = await runAction({
      inputs: {
        event: 'acme.data.deployed',
        'api-url': stub.apiUrl,
        'wait-for': 'flow-runs',
        'wait-timeout': '30',
      },
    });
    assert.equal(result.exitCode, 0, result.stdout);
    assert.ok(stub.requests.filter((r) => r.url === '/api/flow_runs/filter').length >= 5);
  });

  test('a dry run, or no API URL: skipped with a notice', async () => {
    const dry = await step([], { 'dry-run': 'true' });
    assert.equal(dry.exitCode, 0);
    assert.match(
      dry.stdout,
      /^::notice::wait-for: flow-runs is skipped in a dry run: nothing was sent to wait for\.$/m,
    );
    assert.equal(dry.stub.requests.length, 0);
    const none = await runAction({ inputs: { event: 'acme.data.deployed', 'wait-for': 'automations' } });
    assert.equal(none.exitCode, 0);
    assert.match(
      none.stdout,
      /^::notice::wait-for: automations is skipped: without a Prefect API URL nothing was sent\.$/m,
    );
  });

  for (const [inputs, message] of [
    [{ 'wait-for': 'runs' }, 'Input "wait-for" must be nothing, automations or flow-runs, not "runs".'],
    [
      { 'wait-timeout': '0' },
      'Input "wait-timeout" must be a number of seconds more than 0 and at most 21600, not "0".',
    ],
    [
      { 'wait-timeout': '21601' },
      'Input "wait-timeout" must be a number of seconds more than 0 and at most 21600, not "21601".',
    ],
    [
      { 'wait-timeout': '10m' },
      'Input "wait-timeout" must be a number of seconds more than 0 and at most 21600, not "10m".',
    ],
  ] as const) {
    test(`bad input ${JSON.stringify(inputs)}: one sentence naming it, nothing sent`, async () => {
      const result = await step([], inputs);
      assert.equal(result.exitCode, 1);
      assert.equal(errorLine(result), message);
      assert.equal(result.stub.requests.length, 0);
    });
  }
});

test('a step without wait-for never loads the waiting code: dist/chunks/wait.js holds it, and only that file', async () => {
  const out = join(tempDir('loaded-files-'), 'loaded.txt');
  const run = await runAction({
    inputs: { event: 'acme.model.deployed', 'dry-run': 'true' },
    env: { NODE_OPTIONS: `--require ${LOADED_FILES_PRELOAD}`, LOADED_FILES_OUT: out },
  });
  assert.equal(run.exitCode, 0, run.stderr);
  const loaded = readFileSync(out, 'utf8').split('\n');
  assert.ok(loaded.includes(DIST_ENTRY), `dist/index.js not among the loaded files: ${loaded.join(', ')}`);
  assert.deepEqual(
    loaded.filter((file) => file.includes(`${sep}chunks${sep}`)),
    [],
    'a step without wait-for loads no chunk',
  );
  assert.doesNotMatch(readFileSync(DIST_ENTRY, 'utf8'), /automation\.action\.executed/);
  assert.match(
    readFileSync(resolve(dirname(DIST_ENTRY), 'chunks/wait.js'), 'utf8'),
    /automation\.action\.executed/,
  );
});
