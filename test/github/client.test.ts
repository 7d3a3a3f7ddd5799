// GitHub's REST API read over the one network stack, against a stub of GitHub on 127.0.0.1: the headers,
// pages through Link, retries of what can change, and what fails at once with a hint; the token in no message.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createGitHubClient, GitHubError, type GitHubOptions } from '../../src/github/client.ts';
import { readRunRecord } from '../../src/github/workflow-run.ts';
import { exampleJobs, exampleRun } from '../support/github-runs.ts';
import { startGitHubStub, type GitHubStub } from '../support/github-server.ts';

const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';
const REPO = 'octo-org/octo-repo';

describe('readRunRecord', () => {
  let github: GitHubStub;
  let pauses: number[];
  const options = (overrides: Partial<GitHubOptions> = {}): GitHubOptions => ({
    apiUrl: new URL(github.apiUrl),
    token: TOKEN,
    retries: 3,
    timeoutMs: 5000,
    env: {},
    sleep: async (ms) => void pauses.push(ms),
    now: () => Date.parse('2026-03-02T12:00:00Z'),
    ...overrides,
  });
  const read = (overrides: Partial<GitHubOptions> = {}) =>
    readRunRecord(createGitHubClient(options(overrides)), REPO, '30433642');

  before(async () => (github = await startGitHubStub()));
  after(() => github.close());
  beforeEach(() => {
    github.reset();
    pauses = [];
  });

  test('reads the run, then 130 jobs of its attempt in two pages of 100, with the token and GitHub headers', async () => {
    const run = exampleRun({ run_attempt: 2 });
    github.serve(REPO, run, exampleJobs(run, 130));
    const record = await read();
    assert.equal(record.run.id, 30433642);
    assert.equal(record.jobs.length, 130);
    assert.deepEqual(
      record.jobs.map((job) => job.id),
      exampleJobs(run, 130).map((job) => job.id),
    );
    assert.deepEqual(
      github.requests.map((request) => request.url),
      [
        '/repos/octo-org/octo-repo/actions/runs/30433642',
        '/repos/octo-org/octo-repo/actions/runs/30433642/attempts/2/jobs?per_page=100',
        '/repos/octo-org/octo-repo/actions/runs/30433642/attempts/2/jobs?per_page=100&page=2',
      ],
    );
    for (const { headers } of github.requests) {
      assert.equal(headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(headers.accept, 'application/vnd.github+json');
      assert.equal(headers['x-github-api-version'], '2022-11-28');
      assert.equal(headers['user-agent'], 'emit-prefect-event');
    }
  });

  test('a job listed on two pages (the list moved between requests) is one job', async () => {
    const run = exampleRun();
    const [a, b, c] = exampleJobs(run, 3);
    github.script.push(
      { status: 200, body: run },
      {
        status: 200,
        body: { total_count: 3, jobs: [a, b] },
        headers: { link: `<${github.apiUrl}/next?page=2>; rel="next"` },
      },
      { status: 200, body: { total_count: 3, jobs: [b, c] } },
    );
    const record = await read();
    assert.deepEqual(
      record.jobs.map((job) => job.id),
      [a, b, c].map((job) => job?.id),
    );
  });

  test('GitHub Enterprise Server: the API URL has a path of its own (/api/v3)', async () => {
    const ghes = await startGitHubStub('/api/v3');
    try {
      const run = exampleRun();
      ghes.serve(REPO, run, exampleJobs(run, 2));
      const record = await readRunRecord(
        createGitHubClient(options({ apiUrl: new URL(ghes.apiUrl) })),
        REPO,
        '30433642',
      );
      assert.equal(record.jobs.length, 2);
      assert.equal(ghes.requests[0]?.url, '/api/v3/repos/octo-org/octo-repo/actions/runs/30433642');
    } finally {
      await ghes.close();
    }
  });

  test('5xx, 429 and a reset connection are retried, with backoff or the Retry-After GitHub gives', async () => {
    const run = exampleRun();
    github.serve(REPO, run, exampleJobs(run, 1));
    github.script.push({ status: 502 }, 'reset', { status: 429, headers: { 'retry-after': '7' } });
    const record = await read();
    assert.equal(record.jobs.length, 1);
    assert.equal(github.requests.length, 5);
    assert.equal(pauses.length, 3);
    assert.equal(pauses[2], 7000);
  });

  test("a 5xx's Retry-After wins over the backoff, as for Prefect's API; beyond the cap it fails at once", async () => {
    const run = exampleRun();
    github.serve(REPO, run, []);
    github.script.push({ status: 503, headers: { 'retry-after': '12' } });
    await read();
    assert.deepEqual(pauses, [12_000]);
    github.reset();
    pauses = [];
    github.script.push({ status: 503, headers: { 'retry-after': '120' } });
    await assert.rejects(
      read(),
      /answered 503 Service Unavailable: scripted \(1 attempt\): GitHub asks to wait 120 s, longer than the 30 s this step waits between attempts; report the run again later\.$/,
    );
    assert.deepEqual(pauses, []);
  });

  test('a primary rate limit (403, x-ratelimit-remaining 0) waits until x-ratelimit-reset', async () => {
    const run = exampleRun();
    github.serve(REPO, run, []);
    const reset = String(Date.parse('2026-03-02T12:00:20Z') / 1000);
    github.script.push({
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset },
      body: { message: 'API rate limit exceeded for installation ID 1.' },
    });
    await read();
    assert.deepEqual(pauses, [20_000]);
  });

  test('a rate limit that resets later than a step waits between attempts fails and says so', async () => {
    github.script.push({ status: 429, headers: { 'retry-after': '600' } });
    await assert.rejects(read(), (error: Error) => {
      assert.ok(error instanceof GitHubError);
      assert.match(
        error.message,
        /answered 429 Too Many Requests: scripted \(1 attempt\): GitHub's rate limit asks to wait 600 s, longer than the 30 s/,
      );
      return true;
    });
  });

  for (const status of [403, 404]) {
    test(`${status} fails at once with the hint about permissions: actions: read`, async () => {
      github.script.push({ status, body: { message: 'Resource not accessible by integration' } });
      await assert.rejects(read(), (error: Error) => {
        assert.equal(
          error.message,
          `GET ${github.apiUrl}/repos/octo-org/octo-repo/actions/runs/30433642 answered ${status} ` +
            `${status === 403 ? 'Forbidden' : 'Not Found'}: Resource not accessible by integration (1 attempt). ` +
            "The token may not read this repository's Actions: give the job `permissions: actions: read` (a " +
            'workflow that sets permissions, or a private repository, needs it), and check that the run id ' +
            'belongs to this repository.',
        );
        return true;
      });
      assert.equal(github.requests.length, 1);
    });
  }

  test('401 fails at once and says the token was not accepted', async () => {
    github.script.push({ status: 401, body: { message: 'Bad credentials' } });
    await assert.rejects(
      read(),
      /answered 401 Unauthorized: Bad credentials \(1 attempt\)\. GitHub did not accept the token: check that it is a valid token for this repository\.$/,
    );
    assert.equal(github.requests.length, 1);
  });

  test('a secondary rate limit without Retry-After asks for a minute, beyond the cap: it fails at once', async () => {
    github.script.push({
      status: 403,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      },
    });
    await assert.rejects(
      read(),
      /answered 403 Forbidden: You have exceeded a secondary rate limit\. .* \(1 attempt\): GitHub's rate limit asks to wait 60 s, longer than the 30 s this step waits between attempts; report the run again later\.$/,
    );
    assert.equal(github.requests.length, 1);
    assert.deepEqual(pauses, []);
  });

  test('5xx until the retries are exhausted fails with the attempts counted; the token is in no message', async () => {
    const debug: string[] = [];
    for (let i = 0; i < 4; i++) github.script.push({ status: 503, body: { message: `bad token ${TOKEN}` } });
    await assert.rejects(read({ debug: (message) => debug.push(message) }), (error: Error) => {
      assert.match(
        error.message,
        /answered 503 Service Unavailable: bad token \*\*\* \(4 attempts, retries exhausted\)\.$/,
      );
      return true;
    });
    assert.equal(debug.length, 7);
    assert.ok(!debug.join('\n').includes(TOKEN));
  });

  test("a next page on another host is refused: the token goes to GitHub's API only", async () => {
    github.script.push(
      { status: 200, body: exampleRun() },
      {
        status: 200,
        body: { total_count: 200, jobs: [] },
        headers: { link: '<https://elsewhere.example/jobs?page=2>; rel="next"' },
      },
    );
    await assert.rejects(
      read(),
      /the Link header's next page is on https:\/\/elsewhere\.example, not http:\/\/127\.0\.0\.1:\d+; the token is sent to GitHub's API only\.$/,
    );
    assert.equal(github.requests.length, 2);
  });

  test('an answer that is not a run or not JSON fails with what came back', async () => {
    github.script.push({
      status: 200,
      body: '<html>Sign in</html>',
      headers: { 'content-type': 'text/html' },
    });
    await assert.rejects(
      read(),
      /answered 200 with something that is not JSON \(text\/html\): GITHUB_API_URL may not point at GitHub's API\.$/,
    );
    github.script.push({ status: 200, body: { message: 'hello' } });
    await assert.rejects(
      read(),
      /GitHubError: GitHub's answer to GET \/repos\/octo-org\/octo-repo\/actions\/runs\/30433642 is not a workflow run/,
    );
  });
});
