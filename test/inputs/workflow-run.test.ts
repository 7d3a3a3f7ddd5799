// workflow-run and github-token: the run id, the token, and the inputs refused beside them, by name.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readWorkflowRunInputs } from '../../src/inputs/workflow-run.ts';

const reader = (inputs: Record<string, string>) => (name: string) =>
  ({ payload: '{}', 'github-token': 'ghs_token', ...inputs })[name] ?? '';

describe('readWorkflowRunInputs', () => {
  test('without workflow-run: nothing to report', () => {
    assert.equal(readWorkflowRunInputs(reader({})), undefined);
  });

  test('a run id and the token; the default payload {} is no payload', () => {
    assert.deepEqual(readWorkflowRunInputs(reader({ 'workflow-run': '30433642' })), {
      runId: '30433642',
      token: 'ghs_token',
    });
  });

  test('a run id is digits only', () => {
    for (const id of ['abc', '12 34', '-1', '1.5', '${{ github.event.workflow_run.id }}']) {
      assert.throws(() => readWorkflowRunInputs(reader({ 'workflow-run': id })), {
        message: `Input "workflow-run" must be a workflow run id, digits only (\${{ github.event.workflow_run.id }} or \${{ github.run_id }}), not ${JSON.stringify(id)}.`,
      });
    }
  });

  for (const [name, value] of [
    ['event', 'a.b'],
    ['events', '[]'],
    ['events-file', 'events.json'],
    ['resource', 'x'],
    ['payload', '{"a": 1}'],
    ['payload-file', 'p.json'],
    ['occurred', '2026-01-01T00:00:00Z'],
    ['id', '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f'],
    ['follows', '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f'],
    ['job-end-event', 'acme.job.{status}'],
  ]) {
    test(`${name} is refused with workflow-run`, () => {
      assert.throws(
        () => readWorkflowRunInputs(reader({ 'workflow-run': '1', [name as string]: value as string })),
        {
          message: `Input "${name}" cannot be used together with "workflow-run": the events of a reported run are made from GitHub's record of it.`,
        },
      );
    });
  }

  test('an empty token is an error naming github-token', () => {
    assert.throws(() => readWorkflowRunInputs(reader({ 'workflow-run': '1', 'github-token': '' })), {
      message:
        'Input "github-token" is empty: "workflow-run" reads the run from GitHub\'s API with it; give a token that ' +
        "may read the repository's Actions (the default ${{ github.token }}, with permissions: actions: read).",
    });
  });
});
