// The words of a wait's end that the end-to-end tests do not reach: a run no worker took, and a failure while
// other runs go on.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApiUrl, uiLinks } from '../../src/prefect/api.ts';
import type { FlowRunRecord, WatchReport } from '../../src/prefect/watch.ts';
import { waitOutcome } from '../../src/steps/wait-outcome.ts';

const EVENT = { id: '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f', event: 'acme.models.deployed' };
const links = uiLinks(parseApiUrl('https://prefect.example.com/api'));
const context = { events: [EVENT], waitFor: 'flow-runs' as const, timeoutMs: 900_000, links };
const late: FlowRunRecord = {
  id: 'r1',
  name: 'brave-otter',
  deploymentId: 'd1',
  deploymentName: 'refresh',
  stateType: 'SCHEDULED',
  stateName: 'Late',
};
const report = (end: WatchReport['end'], runs: FlowRunRecord[]): WatchReport => ({
  end,
  firings: [],
  runs,
  elapsedMs: 900_000,
});

test('timeout with runs no worker took: "has not started", and why, said once', () => {
  const other: FlowRunRecord = { ...late, id: 'r3', name: 'calm-otter', stateName: 'Scheduled' };
  assert.deepEqual(waitOutcome(report({ kind: 'timeout' }, [late, other]), context), {
    kind: 'failed',
    message:
      'Prefect\'s work on the event did not finish within 900 s (wait-timeout): flow run "brave-otter" (deployment ' +
      'refresh) has not started, last state SCHEDULED (Late): https://prefect.example.com/runs/flow-run/r1; flow ' +
      'run "calm-otter" (deployment refresh) has not started, last state SCHEDULED: ' +
      'https://prefect.example.com/runs/flow-run/r3. A run waits in SCHEDULED until a worker of its work pool ' +
      'picks it up. It goes on in Prefect; this step stopped waiting.',
    softened: true,
  });
});

test('timeout with a run awaiting its retry: not "has not started", since it ran and failed once', () => {
  const retrying: FlowRunRecord = { ...late, stateName: 'AwaitingRetry' };
  assert.deepEqual(waitOutcome(report({ kind: 'timeout' }, [retrying]), context), {
    kind: 'failed',
    message:
      'Prefect\'s work on the event did not finish within 900 s (wait-timeout): flow run "brave-otter" (deployment ' +
      'refresh) failed and is waiting to retry, last state SCHEDULED (AwaitingRetry): ' +
      'https://prefect.example.com/runs/flow-run/r1. It goes on in Prefect; this step stopped waiting.',
    softened: true,
  });
});

test('a failed run names the runs left going in Prefect; no logs, no group', () => {
  const failed: FlowRunRecord = { id: 'r2', name: 'sad-heron', stateType: 'CRASHED', stateName: 'Crashed' };
  const running: FlowRunRecord = { ...late, stateType: 'RUNNING', stateName: 'Running' };
  assert.deepEqual(
    waitOutcome(report({ kind: 'run failed', run: failed, logs: [] }, [failed, running]), context),
    {
      kind: 'failed',
      message:
        'The flow run "sad-heron" ended CRASHED: https://prefect.example.com/runs/flow-run/r2; it logged nothing. Not ' +
        'waited for, going on in Prefect: flow run "brave-otter" (deployment refresh) is still running, last state ' +
        'RUNNING: https://prefect.example.com/runs/flow-run/r1.',
      softened: false,
    },
  );
});

test("a failed run whose logs could not be read says so, not 'it logged nothing'", () => {
  const failed: FlowRunRecord = { id: 'r2', name: 'sad-heron', stateType: 'FAILED', stateName: 'Failed' };
  assert.deepEqual(
    waitOutcome(report({ kind: 'run failed', run: failed, logs: undefined }, [failed]), context),
    {
      kind: 'failed',
      message:
        'The flow run "sad-heron" ended FAILED: https://prefect.example.com/runs/flow-run/r2; its log lines could ' +
        'not be read from Prefect.',
      softened: false,
    },
  );
});

test('wait-for: automations says nothing of the runs it did not follow', () => {
  const firing = {
    automationId: 'a1',
    automationName: 'Refresh',
    eventId: EVENT.id,
    actionCount: 2,
    actions: [{ index: 0, type: 'run-deployment', outcome: 'executed' as const, flowRun: { id: 'r1' } }],
  };
  const unread: FlowRunRecord = { id: 'r1', name: 'brave-otter' };
  const ended = waitOutcome(
    { ...report({ kind: 'timeout' }, [unread]), firings: [firing] },
    { ...context, waitFor: 'automations' },
  );
  assert.deepEqual(ended, {
    kind: 'failed',
    message:
      'Prefect\'s work on the event did not finish within 900 s (wait-timeout): automation "Refresh" on ' +
      `acme.models.deployed (${EVENT.id}) has actions still to run. It goes on in Prefect; this step stopped waiting.`,
    softened: true,
  });
});
