// workflow_run: the run whose request or completion triggered this one. Its id has the same form as this
// run's own, so in Prefect the two are the same resource seen from either side.
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE, type Labels } from '../event/schema.ts';
import { labels, record, text } from './labels.ts';
import type { WorkflowContext } from './workflow.ts';

export function triggeringRunResource(context: WorkflowContext): Labels | undefined {
  const run = record(context.payload.workflow_run);
  const id = text(run?.id);
  if (!run || !id) return undefined;
  return labels({
    [RESOURCE_ID]: `github.workflow-run.${id}`,
    [RESOURCE_ROLE]: 'triggering-workflow-run',
    [RESOURCE_NAME]: text(run.name),
    // null until the run completes (the `requested` and `in_progress` activities): then left out.
    'github.conclusion': text(run.conclusion),
    'github.event-name': text(run.event),
    'github.head-ref': text(run.head_branch),
    'github.head-sha': text(run.head_sha),
    'github.url': text(run.html_url),
  });
}
