// A reported run's resources: the run, its commit, repository, actor and pull requests, made by context/
// from the run as GitHub's API records it (so their ids and labels are those every other event of the
// action gives the same things), and each job as a resource of its own. Pure.
import { pullRequestResource } from '../context/pull-request.ts';
import { labels } from '../context/labels.ts';
import { workflowResources, workflowRunResource, type WorkflowContext } from '../context/workflow.ts';
import { RESOURCE_ID, RESOURCE_NAME, type Labels } from '../event/schema.ts';
import type { Job, RunRecord, WorkflowRun } from '../github/workflow-run.ts';

// Prefect takes 100 related resources an event; a run's pull requests are a handful, this bound is for
// the odd run that lists many, leaving room for the run's own resources and the step's `related`.
const MAX_PULL_REQUESTS = 50;

/** Where the run lives: GITHUB_SERVER_URL and the repository the step reports from (`owner/repo`). */
export interface RunPlace {
  serverUrl: string;
  repository: string;
}

export interface RunResources {
  /** The run, without a role (the run event's primary resource). */
  run: Labels;
  /** Commit, repository, actor and pull requests, each with its role. */
  others: Labels[];
}

/** The run as context/ sees a run: the context a job of that run would have had, without the job. */
function asWorkflowContext(run: WorkflowRun, place: RunPlace): WorkflowContext {
  return {
    serverUrl: place.serverUrl,
    repository: place.repository,
    runId: run.id,
    runNumber: run.run_number ?? 0,
    runAttempt: run.run_attempt ?? 0,
    workflow: run.name ?? '',
    job: '',
    eventName: run.event ?? '',
    sha: run.head_sha ?? '',
    ref: '',
    actor: run.actor?.login ?? '',
    payload: {},
  };
}

export function runResources({ run }: RunRecord, place: RunPlace): RunResources {
  const context = asWorkflowContext(run, place);
  const runResource = {
    ...(workflowRunResource(context) ?? { [RESOURCE_ID]: `github.workflow-run.${run.id}` }),
    ...labels({ 'github.head-branch': run.head_branch ?? undefined }),
  };
  // A run's pull requests have the fields of a webhook's pull_request that the resource reads, but no page.
  const pullRequests = (run.pull_requests ?? []).slice(0, MAX_PULL_REQUESTS).flatMap((pr) => {
    const htmlUrl = `${place.serverUrl}/${place.repository}/pull/${pr.number}`;
    const resource = pullRequestResource({
      ...context,
      payload: { pull_request: { ...pr, html_url: htmlUrl } },
    });
    return resource ? [resource] : [];
  });
  return { run: runResource, others: [...workflowResources(context), ...pullRequests] };
}

/** A job: `github.job.{id}`, named as the workflow names it (a matrix job with its values), with its page. */
export function jobResource(job: Job, run: WorkflowRun, place: RunPlace): Labels {
  return labels({
    [RESOURCE_ID]: `github.job.${job.id}`,
    [RESOURCE_NAME]: job.name,
    'github.workflow': run.name ?? job.workflow_name ?? undefined,
    'github.repository': place.repository,
    'github.run-attempt': job.run_attempt ?? run.run_attempt,
    'github.url': job.html_url ?? undefined,
  });
}
