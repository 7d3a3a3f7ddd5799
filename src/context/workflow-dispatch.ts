// workflow_dispatch: the inputs the run was started with, as `github.input.{name}` labels on the workflow run.
import type { Labels } from '../event/schema.ts';
import { labels, record, text } from './labels.ts';
import type { WorkflowContext } from './workflow.ts';

/**
 * An input name as a label key's last word: lowercase, every run of characters other than a-z and 0-9
 * (GitHub allows `_` and `-` in input ids) becomes one `-`, none at either end. `Dry_Run` -> `dry-run`.
 * Empty when nothing is left (a name of symbols only), and the input is then left out.
 */
export function inputLabelName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function dispatchInputLabels(context: WorkflowContext): Labels {
  const inputs = record(context.payload.inputs) ?? {};
  const entries: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(inputs)) {
    const key = `github.input.${inputLabelName(name)}`;
    // Two names can give one key (`dry_run`, `dry-run`): the first keeps it, so a label is never overwritten.
    if (key === 'github.input.' || key in entries) continue;
    entries[key] = text(value); // a boolean or number input becomes its string form, as in `inputs.*`
  }
  return labels(entries);
}
