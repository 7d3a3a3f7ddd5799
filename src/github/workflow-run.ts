// One workflow run and the jobs of its attempt, as GitHub's REST API records them: GET the run, then every
// page of /attempts/{n}/jobs, 100 a page. The types name the fields the action reads, as GitHub documents
// them (null where GitHub may give null); the answers are checked for the fields everything else relies on.
import { GitHubError, type GitHubClient } from './client.ts';

export interface GitHubUser {
  login: string;
}

export interface RunPullRequest {
  number: number;
  head?: { ref?: string; sha?: string };
  base?: { ref?: string };
}

export interface WorkflowRun {
  id: number;
  /** The workflow's name. */
  name?: string | null;
  display_title?: string;
  run_number?: number;
  run_attempt?: number;
  event?: string;
  /** queued, in_progress, completed, … */
  status: string | null;
  /** success, failure, cancelled, …; null until completed. */
  conclusion: string | null;
  created_at?: string;
  run_started_at?: string;
  updated_at?: string;
  html_url?: string;
  head_sha?: string;
  head_branch?: string | null;
  actor?: GitHubUser | null;
  triggering_actor?: GitHubUser | null;
  pull_requests?: RunPullRequest[] | null;
}

export interface JobStep {
  number: number;
  name: string;
  status?: string;
  conclusion?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
}

export interface Job {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  created_at?: string;
  started_at?: string | null;
  completed_at?: string | null;
  html_url?: string | null;
  run_attempt?: number;
  labels?: string[];
  runner_name?: string | null;
  runner_group_name?: string | null;
  workflow_name?: string | null;
  steps?: JobStep[];
}

export interface RunRecord {
  run: WorkflowRun;
  /** The jobs of the run's latest attempt, as GitHub lists them. */
  jobs: Job[];
}

// 100 pages of 100 jobs: far beyond any real run, a bound on a server that never stops giving pages.
const MAX_PAGES = 100;

/** Reads the run `runId` of `repository` (`owner/repo`) and every job of its latest attempt. */
export async function readRunRecord(
  client: GitHubClient,
  repository: string,
  runId: string,
): Promise<RunRecord> {
  const repo = repository.split('/').map(encodeURIComponent).join('/');
  const runPath = `/repos/${repo}/actions/runs/${runId}`;
  const run = asRun((await client.get(runPath)).body, runPath);
  const attempt = run.run_attempt ?? 1;
  // By id: while a run goes on, a job can move from one page to the next between two requests and be
  // listed twice; it is one job.
  const jobs = new Map<number, Job>();
  let page: string | URL = `${runPath}/attempts/${attempt}/jobs?per_page=100`;
  for (let pages = 1; ; pages++) {
    const answer = await client.get(page);
    for (const job of jobsOf(answer.body, page)) if (!jobs.has(job.id)) jobs.set(job.id, job);
    if (!answer.next) break;
    if (pages >= MAX_PAGES) {
      throw new GitHubError(
        `GitHub's API gave more than ${MAX_PAGES} pages of jobs for run ${runId}; none was reported.`,
      );
    }
    page = answer.next;
  }
  return { run, jobs: [...jobs.values()] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asRun(body: unknown, path: string): WorkflowRun {
  if (!isRecord(body) || typeof body.id !== 'number' || !('status' in body)) {
    throw new GitHubError(`GitHub's answer to GET ${path} is not a workflow run (it has no id and status).`);
  }
  return body as unknown as WorkflowRun;
}

function jobsOf(body: unknown, page: string | URL): Job[] {
  const jobs = isRecord(body) ? body.jobs : undefined;
  const bad = Array.isArray(jobs)
    ? jobs.findIndex((job) => !isRecord(job) || typeof job.id !== 'number' || typeof job.name !== 'string')
    : -2;
  if (bad !== -1) {
    const what = bad === -2 ? 'has no list of jobs' : `has a job without an id and name (jobs[${bad}])`;
    throw new GitHubError(`GitHub's answer to GET ${String(page)} ${what}.`);
  }
  return jobs as Job[];
}
