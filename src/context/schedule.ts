// schedule: the cron expression that started the run (the payload's `schedule`), on the workflow run.
import type { Labels } from '../event/schema.ts';
import { labels, text } from './labels.ts';
import type { WorkflowContext } from './workflow.ts';

export function scheduleLabels(context: WorkflowContext): Labels {
  return labels({ 'github.schedule': text(context.payload.schedule) });
}
