// End to end, a whole workflow run reported as events (DESIGN §1.10): the built dist/index.js run as the runner
// runs a step, reading the run from a stub of GitHub's API and sending to the Prefect stub. The runs are
// GitHub's documented examples varied (test/support/github-runs.ts) and its workflow_run webhook examples.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DIST_ENTRY, runAction, type ActionOptions } from '../../tools/runner.ts';
import { makeCertificate } from '../support/certificate.ts';
import { startForwardProxy } from '../support/forward-proxy.ts';
import { exampleJob, exampleJobs, exampleRun, RUN_EXAMPLE } from '../support/github-runs.ts';
import { startGitHubStub, type GitHubStub } from '../support/github-server.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { serverProblems } from '../support/prefect-schema.ts';
import { visibleOf } from '../support/visible.ts';
import { examples } from '../support/webhook-examples.ts';

const TOKEN = 'ghs_e2eT0kenThatMustNeverBeSeen0123456789';
const REPO = 'octo-org/octo-repo';
const RUN_ID = '30433642';

type Event = {
  id: string;
  event: string;
  occurred: string;
  follows: string | null;
  resource: Record<string, string>;
  related: Record<string, string>[];
  payload: Record<string, unknown>;
};

describe('dist/index.js with workflow-run', () => {
  let github: GitHubStub;
  let prefect: PrefectStub;
  before(async () => {
    github = await startGitHubStub();
    prefect = await startPrefectStub();
  });
  after(async () => {
    await github.close();
    await prefect.close();
  });
  beforeEach(() => {
    github.reset();
    prefect.reset();
  });

  const report = (options: ActionOptions = {}) =>
    runAction({
      ...options,
      inputs: { 'workflow-run': RUN_ID, 'github-token': TOKEN, 'api-url': prefect.apiUrl, ...options.inputs },
      env: { GITHUB_API_URL: github.apiUrl, ...options.env },
    });

  test('a run of 130 jobs over two pages: 130 job events and the run event in one request', async () => {
    const run = exampleRun({ conclusion: 'failure' });
    const jobs = exampleJobs(run, 130);
    github.serve(REPO, run, jobs);
    const first = await report();
    assert.equal(first.exitCode, 0, first.stdout + first.stderr);
    assert.equal(github.requests.length, 3);
    assert.ok(github.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`));
    assert.equal(prefect.requests.length, 1);
    const body = prefect.requests[0]?.body ?? '';
    assert.deepEqual(serverProblems(body), []);
    const sent = JSON.parse(body) as Event[];
    assert.equal(sent.length, 131);
    sent.slice(0, 130).forEach((event, i) => {
      const job = jobs[i] as Record<string, unknown>;
      assert.equal(event.event, `github.job.${String(job.conclusion)}`);
      assert.equal(event.occurred, new Date(String(job.completed_at)).toISOString());
      assert.equal(event.resource['prefect.resource.id'], `github.job.${String(job.id)}`);
      assert.equal(event.resource['prefect.resource.name'], job.name);
      assert.equal(event.related[0]?.['prefect.resource.id'], `github.workflow-run.${RUN_ID}`);
      // Jobs complete 11 s apart: each follows the one before.
      assert.equal(event.follows, i === 0 ? null : sent[i - 1]?.id);
    });
    const runEvent = sent[130] as Event;
    assert.equal(runEvent.event, 'github.workflow-run.failure');
    assert.equal(runEvent.resource['prefect.resource.id'], `github.workflow-run.${RUN_ID}`);
    assert.equal(runEvent.occurred, '2026-03-02T10:30:00.000Z');
    assert.equal(runEvent.payload.jobs, 130);

    assert.equal(first.outputs['event-id'], runEvent.id);
    assert.deepEqual(JSON.parse(first.outputs.event ?? ''), runEvent);
    assert.deepEqual(
      JSON.parse(first.outputs['event-ids'] ?? ''),
      sent.map((event) => event.id),
    );
    assert.equal(first.outputs.emitted, 'true');
    assert.match(
      first.stdout,
      /^Read workflow run 30433642 \("Build" #562, attempt 1, completed: failure\) from http:\/\/127\.0\.0\.1:\d+: 130 jobs\.$/m,
    );
    assert.match(first.summary, /^### Workflow run Build #562: failure$/m);
    assert.match(
      first.summary,
      /^✅ emitted: 131 events for 130 jobs and the run\. Open \[the run on GitHub\]\(https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/30433642\)/m,
    );
    // 50 rows at most, those that did not succeed first; the rest counted.
    assert.equal(first.summary.split('\n').filter((line) => /^\| \[test/.test(line)).length, 50);
    assert.match(
      first.summary,
      /^…and 80 more jobs \(19 success, 11 skipped, 10 timed&#95;out, 10 neutral, 10 action&#95;required, 10 failure, 10 cancelled\), not listed here\.$/m,
    );
    assert.match(
      first.summary,
      /^\| \[test &#40;ubuntu-21\.04, node 20&#41;\]\(https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/30433642\/job\/500000001\) \| ❌ failure \| 1 min 1 s \| 2026-03-02T10:01:11Z \|$/m,
    );
    assert.ok(!visibleOf(first).includes(TOKEN), 'the token leaked');
    assert.ok(first.stdout.includes(`::add-mask::${TOKEN}`), 'the token is masked');

    // Reported again: the same ids, which Prefect stores once.
    const second = await report();
    assert.equal(second.exitCode, 0);
    assert.deepEqual(
      (JSON.parse(prefect.requests[1]?.body ?? '') as Event[]).map((event) => event.id),
      sent.map((event) => event.id),
    );
  });

  test("a workflow name with a line break (a fork's workflow file) cannot start a workflow command in the log", async () => {
    const run = exampleRun({ name: 'CI\n::error::injected\r\n::set-output name=event-id::x' });
    github.serve(REPO, run, exampleJobs(run, 1));
    const result = await report();
    assert.equal(result.exitCode, 0, result.stdout);
    assert.doesNotMatch(result.stdout, /^::(error|set-output)/m);
    assert.match(
      result.stdout,
      /^Read workflow run 30433642 \("CI\\n::error::injected\\r\\n::set-output name=event-id::x" #562, attempt 1, completed: failure\)/m,
    );
  });

  test('a run in progress: its completed jobs only, with a notice', async () => {
    const run = exampleRun({ status: 'in_progress', conclusion: null });
    github.serve(REPO, run, [
      exampleJob(run, 0),
      exampleJob(run, 1, { status: 'in_progress', conclusion: null, completed_at: null }),
    ]);
    const result = await report();
    assert.equal(result.exitCode, 0, result.stdout);
    assert.deepEqual(
      (JSON.parse(prefect.requests[0]?.body ?? '') as Event[]).map((event) => event.event),
      ['github.job.success'],
    );
    assert.match(
      result.stdout,
      /^::notice::Workflow run 30433642 has not completed \(in_progress\): 1 completed job is reported; the 1 job not completed yet and the run's own event are not\. Report it again once it completes \(events already sent are stored once\)\.$/m,
    );
    assert.match(result.summary, /^1 job has not completed yet and is not reported\.$/m);
  });

  test('reporting its own run (${{ github.run_id }}): the notice says where the run event can come from', async () => {
    const run = exampleRun({ status: 'in_progress', conclusion: null });
    github.serve(REPO, run, [
      exampleJob(run, 0),
      exampleJob(run, 1, { status: 'in_progress', conclusion: null, completed_at: null }),
    ]);
    const result = await report({ context: { GITHUB_RUN_ID: RUN_ID } });
    assert.equal(result.exitCode, 0, result.stdout);
    assert.match(
      result.stdout,
      /^::notice::Workflow run 30433642 has not completed \(in_progress\): 1 completed job is reported; the 1 job not completed yet and the run's own event are not\. This step runs inside that run, which completes only after it: for the run's own event, report it from a workflow triggered on: workflow_run \(events already sent are stored once\)\.$/m,
    );
  });

  test("GitHub's run example as documented (queued, no job yet): nothing to send, a notice, empty outputs", async () => {
    github.serve(REPO, structuredClone(RUN_EXAMPLE), []);
    const result = await report();
    assert.equal(result.exitCode, 0, result.stdout);
    assert.match(
      result.stdout,
      /^::notice::Workflow run 30433642 has not completed \(queued\): no job of it has completed yet, so nothing is reported\. Report it again once it completes \(events already sent are stored once\)\.$/m,
    );
    assert.deepEqual(result.outputs, { 'event-ids': '[]', emitted: 'false' });
    assert.equal(prefect.requests.length, 0);
  });

  test('a re-run attempt reads the jobs of that attempt and gives new events', async () => {
    const run = exampleRun({ run_attempt: 1 });
    github.serve(REPO, run, exampleJobs(run, 2));
    const first = await report();
    const rerun = exampleRun({ run_attempt: 2 });
    github.serve(REPO, rerun, exampleJobs(rerun, 2));
    const second = await report();
    assert.equal(second.exitCode, 0);
    assert.match(github.requests.at(-1)?.url ?? '', /\/attempts\/2\/jobs\?per_page=100$/);
    const ids = [first, second].flatMap(
      (result) => JSON.parse(result.outputs['event-ids'] ?? '[]') as string[],
    );
    assert.equal(new Set(ids).size, 6);
  });

  for (const status of [403, 404]) {
    test(`GitHub's ${status}: the step fails with the permissions hint and sends nothing`, async () => {
      github.script.push({ status, body: { message: 'Resource not accessible by integration' } });
      const result = await report();
      assert.equal(result.exitCode, 1);
      assert.match(
        result.stdout,
        new RegExp(
          `^::error::Workflow run 30433642 of octo-org/octo-repo could not be read from GitHub: GET ${github.apiUrl}/repos/octo-org/octo-repo/actions/runs/30433642 answered ${status} .*: Resource not accessible by integration \\(1 attempt\\)\\. The token may not read this repository's Actions: give the job \`permissions: actions: read\``,
          'm',
        ),
      );
      assert.equal(prefect.requests.length, 0);
    });
  }

  test('fail-on-error false: GitHub unreadable is a warning, the step succeeds', async () => {
    github.script.push({ status: 404 });
    const result = await report({ inputs: { 'fail-on-error': 'false' } });
    assert.equal(result.exitCode, 0);
    assert.match(
      result.stdout,
      /^::warning::Workflow run 30433642 .* \(fail-on-error is false, so the step succeeds\)\.$/m,
    );
    // As when no job has completed: later steps can read the outputs (fromJSON('') would fail them).
    assert.deepEqual(result.outputs, { 'event-ids': '[]', emitted: 'false' });
  });

  test('5xx and 429 from GitHub are retried as Retry-After says; the token never reaches the log', async () => {
    const run = exampleRun();
    github.serve(REPO, run, exampleJobs(run, 3));
    github.script.push(
      { status: 503, headers: { 'retry-after': '0' }, body: { message: `echo ${TOKEN}` } },
      { status: 429, headers: { 'retry-after': '0' } },
    );
    const result = await report({ env: { ACTIONS_STEP_DEBUG: 'true', RUNNER_DEBUG: '1' } });
    assert.equal(result.exitCode, 0, result.stdout);
    // 503, 429, then the run and its one page of jobs.
    assert.equal(github.requests.length, 4);
    assert.match(
      result.stdout,
      /^::debug::Attempt 1\/4: GET .* answered 503 Service Unavailable: echo \*\*\*\.$/m,
    );
    assert.ok(!visibleOf(result).includes(TOKEN));
  });

  test("the proxy variables apply to GitHub's API; Prefect's custom headers do not", async () => {
    const run = exampleRun();
    github.serve(REPO, run, exampleJobs(run, 1));
    const proxy = await startForwardProxy();
    try {
      const result = await report({
        env: { HTTP_PROXY: proxy.url, PREFECT_CLIENT_CUSTOM_HEADERS: '{"X-Gateway": "gw-secret-123"}' },
      });
      assert.equal(result.exitCode, 0, result.stdout);
      assert.ok(
        proxy.seen.some((line) => line.startsWith(`GET ${github.apiUrl}/repos/`)),
        proxy.seen.join('\n'),
      );
      assert.ok(github.requests.every((request) => request.headers['x-gateway'] === undefined));
      assert.equal(prefect.requests[0]?.headers['x-gateway'], 'gw-secret-123');
    } finally {
      await proxy.close();
    }
  });

  test("NODE_EXTRA_CA_CERTS makes GitHub's private CA trusted; Prefect's TLS settings do not apply to GitHub", async () => {
    const tls = makeCertificate('github-enterprise test CA');
    const ghes = await startGitHubStub('/api/v3', tls);
    try {
      const run = exampleRun();
      ghes.serve(REPO, run, exampleJobs(run, 1));
      const trusted = await report({
        env: { GITHUB_API_URL: ghes.apiUrl, NODE_EXTRA_CA_CERTS: tls.certPath },
      });
      assert.equal(trusted.exitCode, 0, trusted.stdout + trusted.stderr);
      assert.equal(prefect.requests.length, 1);
      const prefectOnly = await report({
        env: {
          GITHUB_API_URL: ghes.apiUrl,
          PREFECT_API_SSL_CERT_FILE: tls.certPath,
          PREFECT_API_TLS_INSECURE_SKIP_VERIFY: 'true',
        },
      });
      assert.equal(prefectOnly.exitCode, 1);
      assert.match(
        prefectOnly.stdout,
        /^::error::Workflow run 30433642 of octo-org\/octo-repo could not be read from GitHub: GET https:\/\/127\.0\.0\.1:\d+\/api\/v3\/repos\/octo-org\/octo-repo\/actions\/runs\/30433642 failed: .*self-signed certificate.* \(1 attempt\)\. GitHub's TLS certificate is not trusted: .*NODE_EXTRA_CA_CERTS/m,
      );
      assert.equal(prefect.requests.length, 1);
    } finally {
      await ghes.close();
    }
  });

  test('inputs that build events are refused by name, before GitHub is asked', async () => {
    const result = await report({ inputs: { event: 'acme.model.deployed' } });
    assert.equal(result.exitCode, 1);
    assert.match(
      result.stdout,
      /^::error::Input "event" cannot be used together with "workflow-run": the events of a reported run are made from GitHub's record of it\.$/m,
    );
    assert.equal(github.requests.length, 0);
    const empty = await report({ inputs: { 'github-token': '' } });
    assert.match(empty.stdout, /^::error::Input "github-token" is empty/m);
    const badUrl = await report({ env: { GITHUB_API_URL: 'ftp://github.example' } });
    assert.match(
      badUrl.stdout,
      /^::error::GITHUB_API_URL must be an http\(s\) URL such as https:\/\/api\.github\.com or https:\/\/HOST\/api\/v3, not "ftp:\/\/github\.example"\.$/m,
    );
    assert.equal(github.requests.length, 0);
  });

  test('dry run: reads GitHub, prints the events, sends nothing', async () => {
    const run = exampleRun();
    github.serve(REPO, run, exampleJobs(run, 2));
    const result = await report({ inputs: { 'dry-run': 'true' } });
    assert.equal(result.exitCode, 0, result.stdout);
    assert.match(result.stdout, /^Dry run: these 3 events would be sent to /m);
    assert.equal(prefect.requests.length, 0);
  });

  test("GitHub's workflow_run webhook examples: the run they name, reported from an on: workflow_run workflow", async () => {
    const payloads = examples('api.github.com', 'workflow_run');
    assert.ok(payloads.length >= 2);
    for (const payload of payloads) {
      prefect.reset();
      // The webhook's workflow_run has the shape of the API's run.
      const run = payload.workflow_run as Record<string, unknown>;
      const repository = String((payload.repository as Record<string, unknown>).full_name);
      github.serve(repository, run, exampleJobs(run, 3));
      const result = await runAction({
        eventName: 'workflow_run',
        payload,
        context: { GITHUB_REPOSITORY: repository },
        inputs: { 'workflow-run': String(run.id), 'github-token': TOKEN, 'api-url': prefect.apiUrl },
        env: { GITHUB_API_URL: github.apiUrl },
      });
      assert.equal(result.exitCode, 0, result.stdout);
      const body = prefect.requests[0]?.body ?? '';
      assert.deepEqual(serverProblems(body), []);
      const sent = JSON.parse(body) as Event[];
      const completed = run.status === 'completed';
      assert.equal(sent.length, completed ? 4 : 3, String(run.status));
      if (completed) assert.equal(sent.at(-1)?.event, `github.workflow-run.${String(run.conclusion)}`);
    }
  });

  test('a step without workflow-run needs none of its code: it runs with that chunk gone', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'dist-without-workflow-run-'));
    try {
      const dist = resolve(DIST_ENTRY, '..');
      cpSync(dist, copy, { recursive: true });
      rmSync(join(copy, 'chunks', 'workflow-run.js'));
      const result = await runAction({
        entry: join(copy, 'index.js'),
        inputs: { event: 'acme.model.deployed', resource: 'acme.model.churn', 'api-url': prefect.apiUrl },
      });
      assert.equal(result.exitCode, 0, result.stdout + result.stderr);
      assert.equal(prefect.requests.length, 1);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
