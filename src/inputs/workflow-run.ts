// `workflow-run` and `github-token` (DESIGN §1.10): the run to report, the token that reads it, and the
// inputs that cannot go with it, since GitHub's record of the run makes every event.
import type { InputReader } from './credentials.ts';
import { InputError, quote } from './source.ts';
import { firstGiven } from './values.ts';

export interface WorkflowRunInputs {
  /** The run id, digits only (kept as text: it is a path segment and a label, never arithmetic). */
  runId: string;
  token: string;
}

// The inputs that build events; `related` stays (added to every event), as do the delivery inputs.
const EVENT_INPUTS = [
  'event',
  'events',
  'events-file',
  'resource',
  'payload',
  'payload-file',
  'occurred',
  'id',
  'follows',
  'job-end-event',
];

/** The run and token when `workflow-run` is given (undefined otherwise); throws InputError for bad ones. */
export function readWorkflowRunInputs(read: InputReader): WorkflowRunInputs | undefined {
  const runId = read('workflow-run');
  if (runId === '') return undefined;
  if (!/^[0-9]{1,20}$/.test(runId)) {
    throw new InputError(
      'workflow-run',
      `must be a workflow run id, digits only (\${{ github.event.workflow_run.id }} or \${{ github.run_id }}), not ${quote(runId)}.`,
    );
  }
  const conflicting = firstGiven(read, EVENT_INPUTS);
  if (conflicting !== undefined) {
    throw new InputError(
      conflicting,
      'cannot be used together with "workflow-run": the events of a reported run are made from GitHub\'s record of it.',
    );
  }
  const token = read('github-token');
  if (token === '') {
    throw new InputError(
      'github-token',
      'is empty: "workflow-run" reads the run from GitHub\'s API with it; give a token that may read the ' +
        "repository's Actions (the default ${{ github.token }}, with permissions: actions: read).",
    );
  }
  return { runId, token };
}
