// The local run (`npm run dry-run`), run as a user runs it: a child process of scripts/dry-run.ts, here with
// --no-build (the tests run against the dist/ that `npm run bundle` made) and a shell full of Prefect and
// proxy variables that point at a Prefect stub, which must receive nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PrefectEvent } from '../../src/event/schema.ts';
import { declared } from '../../tools/action-yml.ts';
import { TRIGGER_NAMES } from '../../tools/triggers.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { example } from '../support/webhook-examples.ts';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/dry-run.ts');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function dryRun(args: string[], shell: Record<string, string>, cwd?: string): Promise<Run> {
  const child = spawn(process.execPath, [SCRIPT, '--no-build', ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...shell },
    ...(cwd && { cwd }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

/** The events printed after each "Dry run: this event would be sent:" line, in order (main step, post step). */
function printedEvents(stdout: string): PrefectEvent[] {
  return [...stdout.matchAll(/^Dry run: this event would be sent:\n(\{\n[\s\S]*?\n\})$/gm)].map(
    (match) => JSON.parse(match[1] ?? '') as PrefectEvent,
  );
}

/** The related resource of a role. */
function relatedOf(event: PrefectEvent | undefined, role: string) {
  return event?.related.find((resource) => resource['prefect.resource.role'] === role);
}

describe('npm run dry-run', () => {
  let prefect: PrefectStub;
  let shell: Record<string, string>;
  before(async () => {
    prefect = await startPrefectStub();
    shell = {
      PREFECT_API_URL: prefect.apiUrl,
      PREFECT_API_KEY: 'pnu_from_the_shell_0123456789',
      HTTP_PROXY: prefect.origin,
      HTTPS_PROXY: prefect.origin,
    };
  });
  after(() => prefect.close());

  test('prints the event from a clean environment: no PREFECT_* or proxy variable of the shell', async () => {
    prefect.reset();
    const run = await dryRun([], shell);
    assert.equal(run.status, 0, run.stderr);
    // With the shell's PREFECT_API_URL the action would say where it would send the event.
    assert.match(run.stdout, /^Dry run: this event would be sent:$/m);
    assert.match(run.stdout, /"event": "acme\.model\.deployed"/);
    assert.match(run.stdout, /^ {2}emitted: false$/m);
    assert.match(run.stdout, /^Running dist\/index\.js as it is \(--no-build\)/m);
    assert.deepEqual(prefect.requests, []);
  });

  test('sends nothing even given the API URL and a key, and shows neither ::add-mask:: nor the key', async () => {
    prefect.reset();
    const key = 'pnu_given_as_input_0123456789';
    const run = await dryRun(['--api-url', prefect.apiUrl, `--api-key=${key}`, '--event', 'a.b'], shell);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^Dry run: this event would be sent to ${prefect.apiUrl}:$`, 'm'));
    assert.match(run.stdout, /^Nothing was sent \(the local run is always a dry run\)\.$/m);
    assert.doesNotMatch(run.stdout + run.stderr, /::add-mask::/);
    assert.ok(!(run.stdout + run.stderr).includes(key), 'the key is masked');
    assert.deepEqual(prefect.requests, []);
  });

  test('--dry-run false is refused: the local run never sends', async () => {
    prefect.reset();
    const run = await dryRun(['--api-url', prefect.apiUrl, '--dry-run', 'false'], shell);
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /^dry-run: --dry-run false: the local run never sends, it always runs with dry-run true;/,
    );
    assert.equal(run.stdout, '');
    assert.deepEqual(prefect.requests, []);
  });

  test('an unknown flag is refused, naming it and listing the inputs of action.yml', async () => {
    const run = await dryRun(['--evnt', 'a.b'], shell);
    assert.equal(run.status, 2);
    const inputs = [...declared('inputs').keys()].join(', ');
    assert.equal(
      run.stderr,
      `dry-run: Unknown flag --evnt: expected --INPUT VALUE with an input of action.yml (${inputs}), ` +
        '--trigger NAME, --event-path FILE, --post, --env NAME=VALUE, --no-build or --help.\n',
    );
    assert.equal(run.stdout, '');
  });

  test('a flag without its value is refused, naming it', async () => {
    const run = await dryRun(['--event', '--resource', 'x'], shell);
    assert.equal(run.status, 2);
    assert.equal(run.stderr, 'dry-run: --event needs a value: --event VALUE.\n');
  });

  test('--env passes one variable to the action, explicitly', async () => {
    const run = await dryRun(['--env', 'GITHUB_REPOSITORY=acme/models'], shell);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /"prefect\.resource\.id": "github\.repository\.acme\/models"/);
  });

  test('events instead of event: no example event added, and files read from where it runs', async () => {
    prefect.reset();
    const here = mkdtempSync(join(tmpdir(), 'emit-prefect-event-dry-run-'));
    writeFileSync(
      join(here, 'events.yml'),
      '- event: acme.one\n  resource: acme.r1\n- event: acme.two\n  resource: acme.r2',
    );
    const run = await dryRun(['--events-file', 'events.yml'], shell, here);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Dry run: these 2 events would be sent:$/m);
    assert.match(run.stdout, /"event": "acme\.two"/);
    assert.doesNotMatch(run.stdout, /acme\.model/);
    assert.deepEqual(prefect.requests, []);
  });

  test("--post runs the post step with the main step's state: the job-end event, success by default", async () => {
    prefect.reset();
    const run = await dryRun(['--job-end-event', 'acme.job.{status}', '--post'], shell);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Post step, at the end of the job \(job status success\):$/m);
    const [start, end] = printedEvents(run.stdout);
    assert.equal(printedEvents(run.stdout).length, 2);
    assert.equal(start?.event, 'acme.model.deployed');
    assert.equal(end?.event, 'acme.job.success');
    assert.deepEqual(end?.resource, start?.resource);
    assert.deepEqual(end?.related, start?.related);
    assert.deepEqual(Object.keys(end?.payload ?? {}), [
      'status',
      'started',
      'duration_seconds',
      'start_event_id',
    ]);
    assert.deepEqual([end?.payload.status, end?.payload.started], ['success', start?.occurred]);
    assert.equal(end?.payload.start_event_id, start?.id);
    // The outputs are the main step's: no step reads a post step's.
    assert.equal(run.stdout.match(/^Outputs:$/gm)?.length, 1);
    assert.deepEqual(prefect.requests, []);
  });

  test('--job-status failure: the end event of a failed job', async () => {
    const run = await dryRun(
      [
        '--event',
        'acme.train.started',
        '--job-end-event',
        'acme.train.{status}',
        '--post',
        '--job-status',
        'failure',
      ],
      shell,
    );
    assert.equal(run.status, 0, run.stderr);
    const events = printedEvents(run.stdout);
    assert.deepEqual(
      events.map((event) => [event.event, event.payload.status]),
      [
        ['acme.train.started', undefined],
        ['acme.train.failure', 'failure'],
      ],
    );
  });

  test('--post without --job-end-event, and --job-status without --post, are refused', async () => {
    const post = await dryRun(['--post'], shell);
    assert.equal(post.status, 2);
    assert.equal(
      post.stderr,
      "dry-run: --post: the post step emits only the job-end-event; add --job-end-event NAME (say --job-end-event 'acme.job.{status}').\n",
    );
    const status = await dryRun(['--job-status', 'failure'], shell);
    assert.equal(status.status, 2);
    assert.equal(
      status.stderr,
      "dry-run: --job-status failure: the job's status is the post step's; add --post to run it after the main step.\n",
    );
  });

  test("--trigger deployment_status: the run of GitHub's example, its deployment related, on start and end", async () => {
    const payload = example('deployment_status');
    const repository = (payload.repository as { full_name: string }).full_name;
    const deployment = payload.deployment as { id: number; environment: string; sha: string };
    const run = await dryRun(
      ['--trigger', 'deployment_status', '--job-end-event', 'acme.deploy.{status}', '--post'],
      shell,
    );
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`^As a step of a made-up deployment_status run of ${repository} `, 'm'),
    );
    const [start, end] = printedEvents(run.stdout);
    assert.equal(start?.event, 'acme.model.deployed');
    assert.equal(end?.event, 'acme.deploy.success');
    for (const event of [start, end]) {
      assert.equal(
        relatedOf(event, 'deployment')?.['prefect.resource.id'],
        `github.deployment.${repository}/${deployment.id}`,
      );
      assert.equal(relatedOf(event, 'deployment')?.['github.environment'], deployment.environment);
      assert.equal(relatedOf(event, 'commit')?.['prefect.resource.id'], `github.commit.${deployment.sha}`);
      assert.equal(relatedOf(event, 'workflow-run')?.['github.event-name'], 'deployment_status');
    }
  });

  test('--trigger pull_request, release, workflow_run: the resource each example payload names', async () => {
    const pull = example('pull_request');
    const release = example('release');
    const workflowRun = example('workflow_run');
    const name = (payload: Record<string, unknown>) =>
      (payload.repository as { full_name: string }).full_name;
    const cases = [
      ['pull_request', 'pull-request', `github.pull-request.${name(pull)}/${String(pull.number)}`],
      [
        'release',
        'release',
        `github.release.${name(release)}/${(release.release as { tag_name: string }).tag_name}`,
      ],
      [
        'workflow_run',
        'triggering-workflow-run',
        `github.workflow-run.${(workflowRun.workflow_run as { id: number }).id}`,
      ],
    ];
    for (const [trigger, role, id] of cases) {
      const run = await dryRun(['--trigger', trigger ?? ''], shell);
      assert.equal(run.status, 0, run.stderr);
      const [event] = printedEvents(run.stdout);
      assert.equal(relatedOf(event, role ?? '')?.['prefect.resource.id'], id, trigger);
      assert.equal(relatedOf(event, 'workflow-run')?.['github.event-name'], trigger);
    }
  });

  test('--trigger workflow_dispatch and schedule: their labels on the workflow run', async () => {
    const inputs = example('workflow_dispatch').inputs as Record<string, string>;
    const [[input, value] = []] = Object.entries(inputs);
    const dispatch = printedEvents((await dryRun(['--trigger', 'workflow_dispatch'], shell)).stdout)[0];
    assert.equal(relatedOf(dispatch, 'workflow-run')?.[`github.input.${input}`], value);
    const schedule = printedEvents((await dryRun(['--trigger', 'schedule'], shell)).stdout)[0];
    assert.equal(relatedOf(schedule, 'workflow-run')?.['github.schedule'], '30 5 * * 1-5');
  });

  test('an unknown --trigger is refused, listing the known ones', async () => {
    const run = await dryRun(['--trigger', 'pull-request'], shell);
    assert.equal(run.status, 2);
    assert.equal(
      run.stderr,
      `dry-run: --trigger pull-request is not an event that triggers workflows: expected one of ${TRIGGER_NAMES.join(', ')}.\n`,
    );
    for (const name of [
      'deployment_status',
      'pull_request',
      'release',
      'schedule',
      'workflow_dispatch',
      'workflow_run',
    ]) {
      assert.ok(TRIGGER_NAMES.includes(name), name);
    }
  });

  test('--event-path: the payload from a file where the command runs, its variables from it', async () => {
    const here = mkdtempSync(join(tmpdir(), 'emit-prefect-event-dry-run-'));
    const payload = example('pull_request');
    (payload.pull_request as { number: number }).number = 77;
    writeFileSync(join(here, 'pr.json'), JSON.stringify(payload));
    const run = await dryRun(['--trigger', 'pull_request', '--event-path', 'pr.json'], shell, here);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /^As a step of a made-up pull_request run of Codertocat\/Hello-World \(the payload of pr\.json;/m,
    );
    const [event] = printedEvents(run.stdout);
    assert.equal(
      relatedOf(event, 'pull-request')?.['prefect.resource.id'],
      'github.pull-request.Codertocat/Hello-World/77',
    );
    assert.equal(relatedOf(event, 'commit')?.['github.ref'], 'refs/pull/77/merge');
  });

  test('--event-path of a missing file is an error naming the path it looked at; --env GITHUB_EVENT_PATH points to it', async () => {
    const here = mkdtempSync(join(tmpdir(), 'emit-prefect-event-dry-run-'));
    const missing = await dryRun(['--event-path', 'event.json'], shell, here);
    assert.equal(missing.status, 2);
    assert.equal(
      missing.stderr,
      `dry-run: --event-path event.json: no such file ${join(here, 'event.json')} (a relative path is read from where the command runs).\n`,
    );
    assert.equal(missing.stdout, '');
    const variable = await dryRun(['--env', 'GITHUB_EVENT_PATH=event.json'], shell, here);
    assert.equal(variable.status, 2);
    assert.equal(
      variable.stderr,
      "dry-run: --env GITHUB_EVENT_PATH: the local run sets it from the run's trigger; use --event-path FILE (docs/local-run.md).\n",
    );
  });
});
