// The runner sandbox the end-to-end tests, the bench and the local run share: the command-file format it
// reads back, the environment it builds, and the hand-off from a main step to its post step.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { declared } from '../../tools/action-yml.ts';
import {
  createSandbox,
  inputVariables,
  parseCommandFile,
  RUNNER_CONTEXT,
  runSteps,
  stateVariables,
} from '../../tools/runner.ts';

describe('parseCommandFile (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV)', () => {
  test('reads name<<DELIMITER blocks as @actions/core writes them, multi-line values included', () => {
    const text =
      'event-id<<ghadelimiter_1f2e\nabc\nghadelimiter_1f2e\n' +
      'start<<ghadelimiter_77\n{"a": 1,\n "b": "x<<y"}\n\nghadelimiter_77\n';
    assert.deepEqual(parseCommandFile(text), { 'event-id': 'abc', start: '{"a": 1,\n "b": "x<<y"}\n' });
  });

  test('reads name=value lines, an empty value, and lets a later entry win', () => {
    assert.deepEqual(parseCommandFile('a=1\nb=\na=x=2\r\n'), { a: 'x=2', b: '' });
  });

  test('an empty file has no entries', () => {
    assert.deepEqual(parseCommandFile(''), {});
  });

  test('a block that is never closed is an error naming its line and delimiter', () => {
    assert.throws(() => parseCommandFile('a=1\nb<<EOF\nvalue\n'), {
      message: 'Line 2 opens "b<<EOF" but no line EOF closes it.',
    });
  });

  test('a line of neither form is an error naming it', () => {
    assert.throws(() => parseCommandFile('just text\n'), { message: /^Line 1 is neither .*"just text"/ });
  });
});

describe('the environment of a step', () => {
  const sandbox = createSandbox({ files: { 'data/payload.json': '{}' } });
  after(() => sandbox.remove());

  test('has only PATH and HOME of this process: no PREFECT_*, proxy or INPUT_* of the shell', () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      PREFECT_API_KEY: 'pnu_from_the_shell',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      INPUT_EVENT: 'from.the.shell',
      NODE_OPTIONS: '--inspect',
    });
    try {
      const env = sandbox.env({ env: { PREFECT_API_URL: 'http://127.0.0.1:1/api' } });
      assert.equal(env.PATH, process.env.PATH);
      assert.equal(env.PREFECT_API_URL, 'http://127.0.0.1:1/api');
      for (const name of ['PREFECT_API_KEY', 'HTTPS_PROXY', 'NODE_OPTIONS'])
        assert.equal(env[name], undefined);
      assert.equal(env.INPUT_EVENT, undefined);
    } finally {
      for (const name of ['PREFECT_API_KEY', 'HTTPS_PROXY', 'INPUT_EVENT', 'NODE_OPTIONS']) {
        if (saved[name] === undefined) Reflect.deleteProperty(process.env, name);
        else process.env[name] = saved[name];
      }
    }
  });

  test("has every action.yml default as INPUT_*, under the step's inputs", () => {
    const env = sandbox.env({ inputs: { event: 'a.b', 'dry-run': 'true' } });
    const inputs = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('INPUT_')));
    const expected: Record<string, string> = { INPUT_EVENT: 'a.b' };
    // A default with `${{ job.status }}` (the post step's job-status) is evaluated: `success` in a main step;
    // `${{ github.token }}` is empty: the sandbox has no token.
    for (const [name, value] of declared('inputs')) {
      if (value) {
        expected[`INPUT_${name.toUpperCase()}`] = value
          .replaceAll('${{ job.status }}', 'success')
          .replaceAll('${{ github.token }}', '');
      }
    }
    expected['INPUT_DRY-RUN'] = 'true';
    assert.deepEqual(inputs, expected);
  });

  test('has the runner context, the command files, the payload, the workspace and RUNNER_TEMP', () => {
    const env = sandbox.env();
    for (const [name, value] of Object.entries(RUNNER_CONTEXT)) assert.equal(env[name], value, name);
    assert.equal(env.GITHUB_EVENT_NAME, 'push');
    assert.equal(env.GITHUB_WORKSPACE, sandbox.workspace);
    assert.equal(env.RUNNER_TEMP, sandbox.runnerTemp);
    for (const name of [
      'GITHUB_OUTPUT',
      'GITHUB_STEP_SUMMARY',
      'GITHUB_ENV',
      'GITHUB_STATE',
      'GITHUB_PATH',
    ]) {
      assert.equal(env[name], sandbox.commandFiles[name], name);
    }
    const payload = JSON.parse(readText(env.GITHUB_EVENT_PATH)) as PushPayload;
    assert.equal(payload.after, RUNNER_CONTEXT.GITHUB_SHA);
    assert.equal(payload.repository.full_name, RUNNER_CONTEXT.GITHUB_REPOSITORY);
    assert.equal(readText(join(sandbox.workspace, 'data/payload.json')), '{}');
  });

  test('context overrides win over the defaults, and the push payload follows them', () => {
    const other = createSandbox({ context: { GITHUB_SHA: 'a'.repeat(40), GITHUB_RUN_ID: '7' } });
    after(() => other.remove());
    const env = other.env();
    assert.equal(env.GITHUB_RUN_ID, '7');
    assert.equal((JSON.parse(readText(env.GITHUB_EVENT_PATH)) as PushPayload).after, 'a'.repeat(40));
  });

  test('evaluates ${{ job.status }} in a default and refuses an expression it cannot evaluate', () => {
    const defaults = { 'job-status': '${{ job.status }}', retries: '3' };
    assert.deepEqual(inputVariables({}, { 'job.status': 'failure' }, defaults), {
      'INPUT_JOB-STATUS': 'failure',
      INPUT_RETRIES: '3',
    });
    assert.deepEqual(inputVariables({ 'job-status': '${{ job.status }}' }, {}, {}), {
      'INPUT_JOB-STATUS': '${{ job.status }}', // the step's own values are passed as given
    });
    assert.throws(() => inputVariables({}, { 'job.status': 'success' }, { token: '${{ github.token }}' }), {
      message:
        /\$\{\{ github\.token \}\}, which tools\/runner\.ts does not evaluate; expected one of job\.status/,
    });
  });

  test('STATE_<name> keeps the name as saved', () => {
    assert.deepEqual(stateVariables({ start: '{}', 'job-end': 'x' }), {
      STATE_start: '{}',
      'STATE_job-end': 'x',
    });
  });
});

describe('runSteps: a main step, then its post step in the same sandbox', () => {
  test('the post step gets STATE_* from the main step, its GITHUB_ENV, and its inputs again', async () => {
    const core = import.meta.resolve('@actions/core');
    const scripts = mkdtempSync(join(tmpdir(), 'runner-test-'));
    after(() => rmSync(scripts, { recursive: true, force: true }));
    const main = join(scripts, 'main.mjs');
    const post = join(scripts, 'post.mjs');
    writeFileSync(
      main,
      `import * as core from ${JSON.stringify(core)};\n` +
        `core.saveState('start', '{"id": "1",\\n"occurred": "now"}');\n` +
        `core.saveState('count', 2);\n` +
        `core.exportVariable('FROM_MAIN', 'yes');\n` +
        `core.setOutput('event-id', core.getInput('event'));\n`,
    );
    writeFileSync(
      post,
      `const picked = Object.entries(process.env).filter(([n]) => /^(STATE_|INPUT_EVENT|INPUT_API|FROM_MAIN)/.test(n));\n` +
        `console.log(JSON.stringify(Object.fromEntries(picked.sort())));\n`,
    );
    const run = await runSteps({
      entry: main,
      postEntry: post,
      inputs: { event: 'job.started', 'api-url': 'http://127.0.0.1:1/api' },
      post: { inputs: { event: 'job.ended' } },
    });
    assert.equal(run.main.exitCode, 0, run.main.stderr);
    assert.deepEqual(run.main.outputs, { 'event-id': 'job.started' });
    assert.deepEqual(run.main.state, { start: '{"id": "1",\n"occurred": "now"}', count: '2' });
    assert.equal(run.post.exitCode, 0, run.post.stderr);
    assert.deepEqual(JSON.parse(run.post.stdout), {
      FROM_MAIN: 'yes',
      'INPUT_API-URL': 'http://127.0.0.1:1/api',
      INPUT_EVENT: 'job.ended',
      STATE_count: '2',
      STATE_start: '{"id": "1",\n"occurred": "now"}',
    });
    assert.deepEqual(run.post.state, {}, 'the post step gets a fresh GITHUB_STATE');
  });
});

interface PushPayload {
  after: string;
  repository: { full_name: string };
}

function readText(path: string | undefined): string {
  return readFileSync(path ?? '', 'utf8');
}
