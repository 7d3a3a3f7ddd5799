// A workflow run as GitHub's API records it -> event specs (DESIGN §1.10): one `github.job.{conclusion}` a
// completed job, in the order the jobs completed, each following the one before under the 5-minute rule;
// then, for a completed run, `github.workflow-run.{conclusion}`. Ids are name-based, from the repository,
// run, attempt and job, so a run reported twice gives the same ids (Prefect stores an id once) and a re-run
// attempt new ones. Pure.
import { asRelated } from '../event/build.ts';
import { decideFollows, type EarlierEvent } from '../event/follows.ts';
import type { Labels } from '../event/schema.ts';
import { originOf, type EventSpec } from '../event/spec.ts';
import { URL_NAMESPACE, uuidv5 } from '../event/uuid.ts';
import type { Job, JobStep, RunRecord, WorkflowRun } from '../github/workflow-run.ts';
import { jobResource, runResources, type RunPlace } from './resources.ts';

export interface RunReportOptions extends RunPlace {
  /** Related resources added to every event (the step's own). */
  related: Labels[];
  /** Whether the run's commit, repository, actor and pull requests are related resources. */
  githubContext: boolean;
}

export interface RunReport {
  specs: EventSpec[];
  /** Completed jobs, in the order they completed: those the specs report, before the run's own event. */
  completedJobs: Job[];
  /** Jobs of the attempt not completed yet (queued, in progress, waiting): not reported. */
  unfinishedJobs: number;
  /** Whether the run has completed, so that its own event is the last spec. */
  runCompleted: boolean;
}

/**
 * When a job completed, or undefined while it has not. A completed job without a completion time (GitHub
 * documents completed_at as nullable) is still reported, at the last time GitHub gave for it: left out, its
 * conclusion would be lost and the job counted as not completed.
 */
function completion(job: Job): Date | undefined {
  if (job.status !== 'completed' || !job.conclusion) return undefined;
  return validDate(job.completed_at) ?? validDate(job.started_at) ?? validDate(job.created_at);
}

function validDate(text: string | null | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Seconds (to the millisecond) from one time to another, never negative: GitHub gives some skipped jobs and
 * steps a completion a moment before their start. Undefined when either is unknown.
 */
function secondsBetween(from: string | null | undefined, to: string | null | undefined): number | undefined {
  const start = validDate(from);
  const end = validDate(to);
  return start && end ? Math.max(0, end.getTime() - start.getTime()) / 1000 : undefined;
}

/** An object without its undefined values, so the payload has only what GitHub gave. */
function defined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

/**
 * The name a job or run event's id is made from: its place on GitHub, attempt included. A job's attempt is
 * the job's own `run_attempt`: a job that a later attempt lists with an earlier attempt's number (one a
 * re-run of failed jobs did not run again) is the job already reported with that attempt, the same event.
 */
function idName(run: WorkflowRun, place: RunPlace, job?: Job): string {
  const runPath = `${place.serverUrl}/${place.repository}/actions/runs/${run.id}`;
  if (!job) return `${runPath}/attempts/${run.run_attempt ?? 1}`;
  return `${runPath}/attempts/${job.run_attempt ?? run.run_attempt ?? 1}/jobs/${job.id}`;
}

function stepPayload(step: JobStep): Record<string, unknown> {
  return defined({
    number: step.number,
    name: step.name,
    conclusion: step.conclusion ?? step.status,
    duration_seconds: secondsBetween(step.started_at, step.completed_at),
  });
}

function jobPayload(job: Job, run: WorkflowRun): Record<string, unknown> {
  return defined({
    conclusion: job.conclusion,
    started: job.started_at ?? undefined,
    completed: job.completed_at ?? undefined,
    duration_seconds: secondsBetween(job.started_at, job.completed_at),
    queued_seconds: secondsBetween(job.created_at, job.started_at),
    run_attempt: job.run_attempt ?? run.run_attempt,
    runner_name: job.runner_name ?? undefined,
    runner_group_name: job.runner_group_name ?? undefined,
    runner_labels: job.labels,
    steps: job.steps?.map(stepPayload),
  });
}

function runPayload(run: WorkflowRun, jobs: Job[]): Record<string, unknown> {
  const conclusions: Record<string, number> = {};
  for (const job of jobs) {
    const conclusion = job.conclusion ?? job.status;
    conclusions[conclusion] = (conclusions[conclusion] ?? 0) + 1;
  }
  return defined({
    conclusion: run.conclusion,
    run_number: run.run_number,
    run_attempt: run.run_attempt,
    trigger: run.event,
    title: run.display_title,
    head_branch: run.head_branch ?? undefined,
    head_sha: run.head_sha,
    created: run.created_at,
    started: run.run_started_at,
    completed: run.updated_at,
    duration_seconds: secondsBetween(run.run_started_at, run.updated_at),
    jobs: jobs.length,
    job_conclusions: conclusions,
  });
}

/** An earlier event to follow, when the two are close enough in time for Prefect's client to link them. */
function followsWithin(earlier: EarlierEvent | undefined, occurred: Date): EarlierEvent | undefined {
  return earlier && decideFollows(earlier, occurred).follows !== null ? earlier : undefined;
}

export function runEventSpecs(record: RunRecord, options: RunReportOptions): RunReport {
  const { run, jobs } = record;
  const resources = runResources(record, options);
  const context = options.githubContext ? resources.others : [];
  const jobRelated = [asRelated(resources.run, 'workflow-run'), ...context, ...options.related];
  const completed = jobs
    .map((job) => ({ job, occurred: completion(job) }))
    .filter((entry): entry is { job: Job; occurred: Date } => entry.occurred !== undefined)
    .sort((a, b) => a.occurred.getTime() - b.occurred.getTime() || a.job.id - b.job.id);

  const specs: EventSpec[] = [];
  let previous: EarlierEvent | undefined;
  const add = (spec: Omit<EventSpec, 'follows' | 'id' | 'origin'>, name: string, origin: string) => {
    const occurred = spec.occurred as Date;
    const id = uuidv5(name, URL_NAMESPACE);
    const follows = followsWithin(previous, occurred);
    specs.push({ ...spec, id, ...(follows && { follows }), origin: originOf(origin) });
    previous = { id, occurred };
  };
  for (const { job, occurred } of completed) {
    add(
      {
        event: `github.job.${job.conclusion}`,
        resource: jobResource(job, run, options),
        related: jobRelated,
        payload: jobPayload(job, run),
        occurred,
      },
      idName(run, options, job),
      `GitHub's record of job ${job.id}`,
    );
  }
  const runCompletedAt = run.status === 'completed' && run.conclusion ? validDate(run.updated_at) : undefined;
  if (runCompletedAt) {
    add(
      {
        event: `github.workflow-run.${run.conclusion}`,
        resource: resources.run,
        related: [...context, ...options.related],
        payload: runPayload(run, jobs),
        occurred: runCompletedAt,
      },
      idName(run, options),
      `GitHub's record of workflow run ${run.id}`,
    );
  }
  return {
    specs,
    completedJobs: completed.map(({ job }) => job),
    unfinishedJobs: jobs.length - completed.length,
    runCompleted: runCompletedAt !== undefined,
  };
}
