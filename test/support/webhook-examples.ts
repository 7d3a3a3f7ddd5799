// GitHub's webhook payload examples (tools/webhook-examples.ts) for the events that can trigger a workflow,
// and the context the runner would give a workflow run triggered by each.
import { record } from '../../src/context/labels.ts';
import type { WorkflowContext } from '../../src/context/index.ts';
import { payloadContext } from '../../tools/triggers.ts';
import type { Payload } from '../../tools/webhook-examples.ts';

export { example, examples, SOURCES, TRIGGERS } from '../../tools/webhook-examples.ts';

/** Matches an example by the path of keys to a value: `at('deployment_status', 'state')`. */
export function at(...path: string[]): (payload: Payload) => unknown {
  return (payload) => path.reduce<unknown>((value, key) => record(value)?.[key], payload);
}

const FALLBACK_SHA = 'ffac537e6cbbf934b08745a378932722df287a53';

/** What the runner's GITHUB_* variables and event file would hold for a run triggered by this payload. */
export function runnerContext(eventName: string, payload: Payload): WorkflowContext {
  const variables = payloadContext(eventName, payload);
  return {
    serverUrl: 'https://github.com',
    repository: variables.GITHUB_REPOSITORY ?? '',
    runId: 1234567890,
    runNumber: 42,
    runAttempt: 1,
    workflow: 'Emit',
    job: 'emit',
    eventName,
    sha: variables.GITHUB_SHA ?? FALLBACK_SHA,
    ref: variables.GITHUB_REF ?? 'refs/heads/main',
    actor: variables.GITHUB_ACTOR ?? '',
    payload,
  };
}
