// The workflow context of the run tools/runner-context.ts describes (RUNNER_CONTEXT, a push to main) as the
// Prefect resources the action makes of it: what every end-to-end run on a push relates its event to.
import { RUNNER_CONTEXT } from '../../tools/runner.ts';

const server = RUNNER_CONTEXT.GITHUB_SERVER_URL;
const repository = RUNNER_CONTEXT.GITHUB_REPOSITORY;
const sha = RUNNER_CONTEXT.GITHUB_SHA;
const actor = RUNNER_CONTEXT.GITHUB_ACTOR;

/** The workflow run as the primary resource (an event without `resource`): no role. */
export const PUSH_RUN_RESOURCE = {
  'prefect.resource.id': `github.workflow-run.${RUNNER_CONTEXT.GITHUB_RUN_ID}`,
  'prefect.resource.name': RUNNER_CONTEXT.GITHUB_WORKFLOW,
  'github.run-number': RUNNER_CONTEXT.GITHUB_RUN_NUMBER,
  'github.run-attempt': RUNNER_CONTEXT.GITHUB_RUN_ATTEMPT,
  'github.job': RUNNER_CONTEXT.GITHUB_JOB,
  'github.event-name': 'push',
  'github.repository': repository,
  'github.url': `${server}/${repository}/actions/runs/${RUNNER_CONTEXT.GITHUB_RUN_ID}`,
};

const { 'prefect.resource.id': runId, ...runLabels } = PUSH_RUN_RESOURCE;

/** The same run as a related resource: its role right after the id, then its other labels in order. */
export const PUSH_RUN_RELATED = {
  'prefect.resource.id': runId,
  'prefect.resource.role': 'workflow-run',
  ...runLabels,
};

export const PUSH_COMMIT_RELATED = {
  'prefect.resource.id': `github.commit.${sha}`,
  'prefect.resource.role': 'commit',
  'github.repository': repository,
  'github.ref': RUNNER_CONTEXT.GITHUB_REF,
  'github.url': `${server}/${repository}/commit/${sha}`,
};

export const PUSH_REPOSITORY_RELATED = {
  'prefect.resource.id': `github.repository.${repository}`,
  'prefect.resource.role': 'repository',
  'prefect.resource.name': repository,
  'github.url': `${server}/${repository}`,
};

export const PUSH_ACTOR_RELATED = {
  'prefect.resource.id': `github.user.${actor}`,
  'prefect.resource.role': 'actor',
  'prefect.resource.name': actor,
  'github.url': `${server}/${actor}`,
};

/** What the context adds to an event that has its own resource, on a push, in this order. */
export const PUSH_CONTEXT_RELATED = [
  PUSH_RUN_RELATED,
  PUSH_COMMIT_RELATED,
  PUSH_REPOSITORY_RELATED,
  PUSH_ACTOR_RELATED,
];
