// The local run (`npm run dry-run`), run as a user runs it: a child process of scripts/dry-run.ts, here with
// --no-build (the tests run against the dist/ that `npm run bundle` made) and a shell full of Prefect and
// proxy variables that point at a Prefect stub, which must receive nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { declared } from '../../tools/action-yml.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';

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
        '--env NAME=VALUE, --no-build or --help.\n',
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
});
