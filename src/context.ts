// The GitHub workflow context as Prefect related resources (DESIGN §1). Pure: the context's fields in,
// labels out. The shape is the part of @actions/github's `context` that is read, so tests pass plain objects.
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE, type Labels } from './event/schema.ts';

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

export interface ContextResources {
  /** The workflow run, without a role: the primary resource when the `resource` input is omitted. */
  workflowRun?: Labels;
  /** commit, repository, actor and pull request, in that order, each with its role. */
  others: Labels[];
}

/** Builds labels from entries, leaving out the empty ones (a label Prefect would show as blank). */
function labels(entries: Record<string, string | number | undefined>): Labels {
  const result: Labels = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined && value !== '') result[key] = String(value);
  }
  return result;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function contextResources(context: WorkflowContext): ContextResources {
  const { serverUrl, repository, sha } = context;
  const repoUrl = repository ? `${serverUrl}/${repository}` : undefined;
  const others: Labels[] = [];

  const workflowRun =
    context.runId > 0
      ? labels({
          [RESOURCE_ID]: `github.workflow-run.${context.runId}`,
          [RESOURCE_NAME]: context.workflow,
          'github.run-number': context.runNumber || undefined,
          'github.run-attempt': context.runAttempt || undefined,
          'github.job': context.job,
          'github.event-name': context.eventName,
          'github.repository': repository,
          'github.url': repoUrl && `${repoUrl}/actions/runs/${context.runId}`,
        })
      : undefined;

  if (sha) {
    others.push(
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
    others.push(
      labels({
        [RESOURCE_ID]: `github.repository.${repository}`,
        [RESOURCE_ROLE]: 'repository',
        [RESOURCE_NAME]: repository,
        'github.url': repoUrl,
      }),
    );
  }
  if (context.actor) {
    others.push(
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
  const pullRequest = pullRequestResource(context);
  if (pullRequest) others.push(pullRequest);

  return workflowRun ? { workflowRun, others } : { others };
}

/** On pull request events (pull_request, pull_request_target, reviews …) the payload holds the pull request. */
function pullRequestResource(context: WorkflowContext): Labels | undefined {
  const pr = record(context.payload.pull_request);
  const number = text(pr?.number);
  if (!pr || !number || !context.repository) return undefined;
  const head = record(pr.head);
  const base = record(pr.base);
  return labels({
    [RESOURCE_ID]: `github.pull-request.${context.repository}/${number}`,
    [RESOURCE_ROLE]: 'pull-request',
    [RESOURCE_NAME]: text(pr.title),
    'github.number': number,
    'github.url': text(pr.html_url),
    'github.head-ref': text(head?.ref),
    'github.head-sha': text(head?.sha),
    'github.base-ref': text(base?.ref),
  });
}

/** A primary resource as a related one: the role label added after the id, where Prefect's own events have it. */
export function asRelated(resource: Labels, role: string): Labels {
  const { [RESOURCE_ID]: id = '', [RESOURCE_ROLE]: _previous, ...rest } = resource;
  return { [RESOURCE_ID]: id, [RESOURCE_ROLE]: role, ...rest };
}
