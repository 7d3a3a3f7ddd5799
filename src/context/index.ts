// The GitHub workflow context as Prefect related resources (DESIGN §1.6). Pure: the context's fields in,
// labels out. The resources every run has come first, then what the trigger adds, picked by event name.
import { MAX_LABELS_PER_RESOURCE, type Labels } from '../event/schema.ts';
import { deploymentResource } from './deployment.ts';
import { pullRequestResource } from './pull-request.ts';
import { releaseResource } from './release.ts';
import { scheduleLabels } from './schedule.ts';
import { dispatchInputLabels } from './workflow-dispatch.ts';
import { triggeringRunResource } from './workflow-run.ts';
import { workflowResources, workflowRunResource, type WorkflowContext } from './workflow.ts';

export type { WorkflowContext } from './workflow.ts';

export interface ContextResources {
  /** The workflow run, without a role: the primary resource when the `resource` input is omitted. */
  workflowRun?: Labels;
  /** commit, repository and actor, in that order, then the trigger's own resource; each with its role. */
  others: Labels[];
}

/** What one kind of trigger adds: a related resource of its own, or labels on the workflow run. */
interface Trigger {
  resource?: (context: WorkflowContext) => Labels | undefined;
  runLabels?: (context: WorkflowContext) => Labels;
}

const TRIGGERS = new Map<string, Trigger>([
  ['deployment', { resource: deploymentResource }],
  ['deployment_status', { resource: deploymentResource }],
  ['release', { resource: releaseResource }],
  ['workflow_run', { resource: triggeringRunResource }],
  ['workflow_dispatch', { runLabels: dispatchInputLabels }],
  ['schedule', { runLabels: scheduleLabels }],
]);

function triggerFor(eventName: string): Trigger | undefined {
  // Every pull request event (pull_request, pull_request_target, pull_request_review, …_comment, …_thread)
  // carries the pull request in the same place.
  if (eventName.startsWith('pull_request')) return { resource: pullRequestResource };
  return TRIGGERS.get(eventName);
}

/**
 * Adds the trigger's labels after the run's own, within Prefect's limit of labels a resource, keeping one
 * for the role asRelated adds when the run is a related resource. GitHub caps a workflow's dispatch
 * inputs far below that, so the cap only matters for payloads from elsewhere (a hand-made event file);
 * the labels beyond it are left out rather than have Prefect refuse the event.
 */
function withRunLabels(run: Labels, extra: Labels): Labels {
  const room = Math.max(0, MAX_LABELS_PER_RESOURCE - 1 - Object.keys(run).length);
  return { ...run, ...Object.fromEntries(Object.entries(extra).slice(0, room)) };
}

export function contextResources(context: WorkflowContext): ContextResources {
  const trigger = triggerFor(context.eventName);
  const others = workflowResources(context);
  const own = trigger?.resource?.(context);
  if (own) others.push(own);
  let workflowRun = workflowRunResource(context);
  if (!workflowRun) return { others };
  if (trigger?.runLabels) workflowRun = withRunLabels(workflowRun, trigger.runLabels(context));
  return { workflowRun, others };
}
