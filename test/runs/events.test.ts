// A workflow run as GitHub's API records it -> the events Prefect gets (DESIGN §1.10), from GitHub's own
// documented examples varied: every conclusion, matrix names, jobs still running, a re-run attempt.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildEvents } from '../../src/event/build.ts';
import type { RunRecord } from '../../src/github/workflow-run.ts';
import { runEventSpecs, type RunReportOptions } from '../../src/runs/events.ts';
import {
  CONCLUSIONS,
  exampleJob,
  exampleJobs,
  exampleRun,
  JOB_EXAMPLE,
  RUN_EXAMPLE,
} from '../support/github-runs.ts';
import { serverProblems } from '../support/prefect-schema.ts';

const OPTIONS: RunReportOptions = {
  serverUrl: 'https://github.com',
  repository: 'octo-org/octo-repo',
  related: [],
  githubContext: true,
};

const record = (run: Record<string, unknown>, jobs: Record<string, unknown>[]) =>
  ({ run, jobs }) as unknown as RunRecord;

const events = (rec: RunRecord, options: RunReportOptions = OPTIONS) =>
  buildEvents(runEventSpecs(rec, options).specs, {
    related: [],
    relateWorkflowRun: false,
    now: new Date(),
  }).map((built) => built.event);

const RUN_RELATED = [
  {
    'prefect.resource.id': 'github.commit.acb5820ced9479c074f688cc328bf03f341a511d',
    'prefect.resource.role': 'commit',
    'github.repository': 'octo-org/octo-repo',
    'github.url': 'https://github.com/octo-org/octo-repo/commit/acb5820ced9479c074f688cc328bf03f341a511d',
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
];

describe('runEventSpecs', () => {
  test("GitHub's job example becomes one github.job.success event, then the run's own event", () => {
    const run = exampleRun({ conclusion: 'success' });
    const [job, runEvent] = events(record(run, [{ ...JOB_EXAMPLE, run_attempt: 1 }]));
    assert.deepEqual(job, {
      occurred: '2020-01-20T17:44:39.000Z',
      event: 'github.job.success',
      resource: {
        'prefect.resource.id': 'github.job.399444496',
        'prefect.resource.name': 'build',
        'github.workflow': 'Build',
        'github.repository': 'octo-org/octo-repo',
        'github.run-attempt': '1',
        'github.url': 'https://github.com/octo-org/octo-repo/runs/29679449/jobs/399444496',
      },
      related: [
        {
          'prefect.resource.id': 'github.workflow-run.30433642',
          'prefect.resource.role': 'workflow-run',
          'prefect.resource.name': 'Build',
          'github.run-number': '562',
          'github.run-attempt': '1',
          'github.event-name': 'push',
          'github.repository': 'octo-org/octo-repo',
          'github.url': 'https://github.com/octo-org/octo-repo/actions/runs/30433642',
          'github.head-branch': 'main',
        },
        ...RUN_RELATED,
      ],
      payload: {
        conclusion: 'success',
        started: '2020-01-20T17:42:40Z',
        completed: '2020-01-20T17:44:39Z',
        duration_seconds: 119,
        run_attempt: 1,
        runner_name: 'my runner',
        runner_group_name: 'my runner group',
        runner_labels: ['self-hosted', 'foo', 'bar'],
        steps: [
          { number: 1, name: 'Set up job', conclusion: 'success', duration_seconds: 1 },
          { number: 2, name: 'Run actions/checkout@v2', conclusion: 'success', duration_seconds: 4 },
          { number: 3, name: 'Set up Ruby', conclusion: 'success', duration_seconds: 0 },
          { number: 4, name: 'Run actions/cache@v3', conclusion: 'success', duration_seconds: 3 },
          { number: 5, name: 'Install Bundler', conclusion: 'success', duration_seconds: 4 },
          { number: 6, name: 'Install Gems', conclusion: 'success', duration_seconds: 1 },
          { number: 7, name: 'Run Tests', conclusion: 'success', duration_seconds: 6 },
          { number: 8, name: 'Deploy to Heroku', conclusion: 'success', duration_seconds: 100 },
          { number: 16, name: 'Post actions/cache@v3', conclusion: 'success', duration_seconds: 0 },
          { number: 17, name: 'Complete job', conclusion: 'success', duration_seconds: 0 },
        ],
      },
      id: job?.id,
      follows: null,
    });
    assert.equal(runEvent?.event, 'github.workflow-run.success');
    assert.equal(runEvent?.occurred, '2026-03-02T10:30:00.000Z');
    // The run event's resource is the jobs' workflow-run related resource, without the role.
    const { 'prefect.resource.role': _role, ...runResource } = job?.related[0] ?? {};
    assert.deepEqual(runEvent?.resource, runResource);
    assert.deepEqual(runEvent?.related, RUN_RELATED);
    assert.deepEqual(runEvent?.payload, {
      conclusion: 'success',
      run_number: 562,
      run_attempt: 1,
      trigger: 'push',
      title: 'Update README.md',
      head_branch: 'main',
      head_sha: 'acb5820ced9479c074f688cc328bf03f341a511d',
      created: '2026-03-02T09:59:50Z',
      started: '2026-03-02T10:00:00Z',
      completed: '2026-03-02T10:30:00Z',
      duration_seconds: 1800,
      jobs: 1,
      job_conclusions: { success: 1 },
    });
  });

  test('every conclusion is its own event name; jobs in completion order, each following the one before', () => {
    const run = exampleRun();
    // Listed out of order: GitHub lists jobs by id, not by when they completed.
    const jobs = exampleJobs(run, CONCLUSIONS.length).reverse();
    const built = events(record(run, jobs));
    assert.deepEqual(
      built.map((event) => event.event),
      [...CONCLUSIONS.map((conclusion) => `github.job.${conclusion}`), 'github.workflow-run.failure'],
    );
    assert.deepEqual(
      built.slice(0, -1).map((event) => event.resource['prefect.resource.name']),
      exampleJobs(run, CONCLUSIONS.length).map((job) => job.name),
    );
    assert.equal(built[0]?.follows, null);
    for (let i = 1; i < CONCLUSIONS.length; i++) assert.equal(built[i]?.follows, built[i - 1]?.id);
    // The run completed 30 minutes after its last job: too far apart for follows, as Prefect's client says.
    assert.equal(built.at(-1)?.follows, null);
    assert.deepEqual(
      built.at(-1)?.payload.job_conclusions,
      Object.fromEntries(CONCLUSIONS.map((c) => [c, 1])),
    );
    assert.deepEqual(serverProblems(JSON.stringify(built)), []);
  });

  test('ids are the same for the same run and attempt, and new for a re-run attempt', () => {
    const run = exampleRun();
    const jobs = exampleJobs(run, 3);
    const first = events(record(run, jobs)).map((event) => event.id);
    assert.deepEqual(
      events(record(run, jobs)).map((event) => event.id),
      first,
    );
    const rerun = exampleRun({ run_attempt: 2 });
    const second = events(record(rerun, exampleJobs(rerun, 3))).map((event) => event.id);
    assert.equal(new Set([...first, ...second]).size, first.length + second.length);
  });

  test('a job a re-run did not run again (listed with its earlier attempt) keeps the id it was reported with', () => {
    const run = exampleRun();
    const first = events(record(run, exampleJobs(run, 2)));
    const rerun = exampleRun({ run_attempt: 2 });
    // Attempt 2 re-ran job 1 only; job 0 is listed as attempt 1 ran it.
    const second = events(record(rerun, [exampleJob(run, 0), exampleJob(rerun, 1)]));
    assert.equal(second[0]?.id, first[0]?.id);
    assert.equal(second[0]?.resource['github.run-attempt'], '1');
    assert.notEqual(second[1]?.id, first[1]?.id);
    assert.notEqual(second[2]?.id, first[2]?.id);
  });

  test('durations are never negative: GitHub may complete a skipped job or step a moment before its start', () => {
    const run = exampleRun();
    const skipped = exampleJob(run, 0, {
      conclusion: 'skipped',
      created_at: '2026-03-02T10:00:02Z',
      started_at: '2026-03-02T10:00:01Z',
      completed_at: '2026-03-02T10:00:00Z',
      steps: [
        {
          number: 1,
          name: 'Post Run actions/checkout@v4',
          status: 'completed',
          conclusion: 'skipped',
          started_at: '2026-03-02T10:00:01Z',
          completed_at: '2026-03-02T10:00:00Z',
        },
      ],
    });
    const [job] = events(record(run, [skipped]));
    assert.equal(job?.payload.duration_seconds, 0);
    assert.equal(job?.payload.queued_seconds, 0);
    assert.deepEqual(job?.payload.steps, [
      { number: 1, name: 'Post Run actions/checkout@v4', conclusion: 'skipped', duration_seconds: 0 },
    ]);
  });

  test('a completed job without completed_at is reported at its start, not counted as still running', () => {
    const run = exampleRun();
    const job = exampleJob(run, 0, { conclusion: 'cancelled', completed_at: null });
    const report = runEventSpecs(record(run, [job]), OPTIONS);
    assert.equal(report.unfinishedJobs, 0);
    const [event] = events(record(run, [job]));
    assert.equal(event?.event, 'github.job.cancelled');
    assert.equal(event?.occurred, new Date(String(job.started_at)).toISOString());
    assert.equal(event?.payload.completed, undefined);
    assert.equal(event?.payload.duration_seconds, undefined);
  });

  test('a run in progress: its completed jobs only, and no event of its own', () => {
    const run = exampleRun({ status: 'in_progress', conclusion: null });
    const jobs = [
      exampleJob(run, 0),
      exampleJob(run, 1, { status: 'in_progress', conclusion: null, completed_at: null }),
      exampleJob(run, 2, { status: 'queued', conclusion: null, started_at: null, completed_at: null }),
    ];
    const report = runEventSpecs(record(run, jobs), OPTIONS);
    assert.equal(report.runCompleted, false);
    assert.equal(report.unfinishedJobs, 2);
    assert.deepEqual(
      report.specs.map((spec) => spec.event),
      ['github.job.success'],
    );
  });

  test("the run's pull requests are related resources; github-context false leaves the run's context out", () => {
    const run = exampleRun({
      pull_requests: [
        {
          id: 1,
          number: 42,
          url: 'https://api.github.com/repos/octo-org/octo-repo/pulls/42',
          head: { ref: 'fix', sha: 'abc' },
          base: { ref: 'main', sha: 'def' },
        },
      ],
    });
    const [job] = events(record(run, [exampleJob(run, 0)]));
    assert.deepEqual(job?.related.at(-1), {
      'prefect.resource.id': 'github.pull-request.octo-org/octo-repo/42',
      'prefect.resource.role': 'pull-request',
      'github.number': '42',
      'github.url': 'https://github.com/octo-org/octo-repo/pull/42',
      'github.head-ref': 'fix',
      'github.head-sha': 'abc',
      'github.base-ref': 'main',
    });
    const team = { 'prefect.resource.id': 'acme.team.ci', 'prefect.resource.role': 'owner' };
    const bare = events(record(run, [exampleJob(run, 0)]), {
      ...OPTIONS,
      githubContext: false,
      related: [team],
    });
    assert.deepEqual(
      bare.map((event) => event.related.map((resource) => resource['prefect.resource.id'])),
      [['github.workflow-run.30433642', 'acme.team.ci'], ['acme.team.ci']],
    );
  });

  test('the run example as GitHub documents it (queued, no jobs) gives nothing to send', () => {
    const report = runEventSpecs(record(structuredClone(RUN_EXAMPLE), []), OPTIONS);
    assert.deepEqual(report.specs, []);
    assert.equal(report.runCompleted, false);
  });
});
