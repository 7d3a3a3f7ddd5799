// Workflow runs and jobs as GitHub's REST API documents them: the `workflow-run` and `job` examples of
// @octokit/openapi (copied into test/fixtures/github/, see SOURCE.md), varied the way real runs vary: many
// jobs, every conclusion, matrix names, jobs still running, a re-run attempt.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

type Json = Record<string, unknown>;

const fixture = (name: string) =>
  JSON.parse(readFileSync(resolve(import.meta.dirname, '../fixtures/github', name), 'utf8')) as Json;

export const RUN_EXAMPLE = fixture('workflow-run.json');
export const JOB_EXAMPLE = fixture('job.json');
export const JOBS_PAGE_EXAMPLE = fixture('job-paginated.json');

/** GitHub's words for a completed job or run (`conclusion`). */
export const CONCLUSIONS = [
  'success',
  'failure',
  'cancelled',
  'skipped',
  'timed_out',
  'neutral',
  'action_required',
];

/** The run example, completed at `completed` unless told otherwise. */
export function exampleRun(overrides: Json = {}): Json {
  return {
    ...structuredClone(RUN_EXAMPLE),
    status: 'completed',
    conclusion: 'failure',
    run_started_at: '2026-03-02T10:00:00Z',
    created_at: '2026-03-02T09:59:50Z',
    updated_at: '2026-03-02T10:30:00Z',
    ...overrides,
  };
}

const at = (start: string, seconds: number) =>
  new Date(Date.parse(start) + seconds * 1000).toISOString().replace('.000Z', 'Z');

/**
 * The job example as job `index` of a run: its own id, a matrix name, a conclusion from CONCLUSIONS in turn,
 * started 10 s after the one before and running 60 s plus its index (so jobs complete in index order, 11 s
 * apart), its steps moved to its own times.
 */
export function exampleJob(run: Json, index: number, overrides: Json = {}): Json {
  const job = structuredClone(JOB_EXAMPLE);
  const started = at(String(run.run_started_at), index * 10);
  const completed = at(started, 60 + index);
  const steps = (job.steps as Json[]).map((step, n) => ({
    ...step,
    started_at: at(started, n),
    completed_at: at(started, n + 1),
  }));
  return {
    ...job,
    id: 500000000 + index,
    run_id: run.id,
    run_attempt: run.run_attempt,
    head_sha: run.head_sha,
    html_url: `https://github.com/octo-org/octo-repo/actions/runs/${String(run.id)}/job/${500000000 + index}`,
    name: `test (ubuntu-${20 + (index % 3)}.04, node ${18 + (index % 4) * 2})`,
    conclusion: CONCLUSIONS[index % CONCLUSIONS.length],
    created_at: at(started, -5),
    started_at: started,
    completed_at: completed,
    steps,
    ...overrides,
  };
}

export function exampleJobs(run: Json, count: number): Json[] {
  return Array.from({ length: count }, (_, index) => exampleJob(run, index));
}
