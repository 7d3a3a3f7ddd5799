// deployment and deployment_status: the deployment, and on a status event the status's state and URLs.
import { RESOURCE_ID, RESOURCE_ROLE, type Labels } from '../event/schema.ts';
import { labels, record, text } from './labels.ts';
import type { WorkflowContext } from './workflow.ts';

export function deploymentResource(context: WorkflowContext): Labels | undefined {
  const deployment = record(context.payload.deployment);
  const id = text(deployment?.id);
  if (!deployment || !id || !context.repository) return undefined;
  // Only deployment_status events have a status; a status may name another environment than the deployment's.
  const status = record(context.payload.deployment_status);
  return labels({
    [RESOURCE_ID]: `github.deployment.${context.repository}/${id}`,
    [RESOURCE_ROLE]: 'deployment',
    'github.environment': text(status?.environment) || text(deployment.environment),
    'github.ref': text(deployment.ref),
    'github.task': text(deployment.task),
    'github.state': text(status?.state),
    'github.description': text((status ?? deployment).description),
    'github.environment-url': text(status?.environment_url),
    'github.log-url': text(status?.log_url),
    'github.target-url': text(status?.target_url),
  });
}
