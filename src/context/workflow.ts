// The resources every workflow run has, whatever triggered it: the run, its commit, repository and actor.
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE, type Labels } from '../event/schema.ts';
import { labels } from './labels.ts';

/** The workflow's context as the runner gives a step (steps/workflow-context.ts reads it); tests pass plain objects. */
export interface WorkflowContext {
  serverUrl: string;
  /** `owner/repo`; '' when unknown (outside a workflow run). */
  repository: string;
  runId: number;
  runNumber: number;
  runAttempt: number;
  workflow: string;
  job: string;
  eventName: string;
  sha: string;
  ref: string;
  actor: string;
  payload: Record<string, unknown>;
}

/** The workflow run, without a role (it may be the primary resource). Undefined outside a run. */
export function workflowRunResource(context: WorkflowContext): Labels | undefined {
  if (!(context.runId > 0)) return undefined;
  const { serverUrl, repository } = context;
  return labels({
    [RESOURCE_ID]: `github.workflow-run.${context.runId}`,
    [RESOURCE_NAME]: context.workflow,
    'github.run-number': context.runNumber || undefined,
    'github.run-attempt': context.runAttempt || undefined,
    'github.job': context.job,
    'github.event-name': context.eventName,
    'github.repository': repository,
    'github.url': repository ? `${serverUrl}/${repository}/actions/runs/${context.runId}` : undefined,
  });
}

/** Commit, repository and actor, in that order, each with its role; those the context does not name are left out. */
export function workflowResources(context: WorkflowContext): Labels[] {
  const { serverUrl, repository, sha } = context;
  const repoUrl = repository ? `${serverUrl}/${repository}` : undefined;
  const resources: Labels[] = [];
  if (sha) {
    resources.push(
      labels({
        [RESOURCE_ID]: `github.commit.${sha}`,
        [RESOURCE_ROLE]: 'commit',
        'github.repository': repository,
        'github.ref': context.ref,
        'github.url': repoUrl && `${repoUrl}/commit/${sha}`,
      }),
    );
  }
  if (repository) {
    resources.push(
      labels({
        [RESOURCE_ID]: `github.repository.${repository}`,
        [RESOURCE_ROLE]: 'repository',
        [RESOURCE_NAME]: repository,
        'github.url': repoUrl,
      }),
    );
  }
  if (context.actor) {
    resources.push(
      labels({
        [RESOURCE_ID]: `github.user.${context.actor}`,
        [RESOURCE_ROLE]: 'actor',
        [RESOURCE_NAME]: context.actor,
        // A bot's login (dependabot[bot]) has no profile page; its app's page is /apps/{slug}.
        'github.url': context.actor.endsWith('[bot]')
          ? `${serverUrl}/apps/${context.actor.slice(0, -'[bot]'.length)}`
          : `${serverUrl}/${context.actor}`,
      }),
    );
  }
  return resources;
}
