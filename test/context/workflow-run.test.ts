// workflow_run triggers: the triggering run, from GitHub's example payloads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextResources } from '../../src/context/index.ts';
import { at, example, runnerContext } from '../support/webhook-examples.ts';

const json = (value: unknown) => JSON.stringify(value, null, 1);

test('workflow_run completed: the triggering run with its conclusion, branch and head commit', () => {
  const payload = example('workflow_run', (p) => at('workflow_run', 'conclusion')(p) === 'success');
  const { workflowRun, others } = contextResources(runnerContext('workflow_run', payload));
  assert.deepEqual(
    others.map((resource) => resource['prefect.resource.role']),
    ['commit', 'repository', 'actor', 'triggering-workflow-run'],
  );
  // The example's run has an empty name: left out.
  assert.equal(
    json(others.at(-1)),
    json({
      'prefect.resource.id': 'github.workflow-run.289782451',
      'prefect.resource.role': 'triggering-workflow-run',
      'github.conclusion': 'success',
      'github.event-name': 'repository_dispatch',
      'github.head-ref': 'master',
      'github.head-sha': '3484a3fb816e0859fd6e1cea078d76385ff50625',
      'github.url': 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
    }),
  );
  assert.equal(workflowRun?.['prefect.resource.id'], 'github.workflow-run.1234567890'); // this run is apart
});

test('workflow_run not concluded yet: its name, no conclusion label', () => {
  const payload = example(
    'workflow_run',
    (p) => at('workflow_run', 'name')(p) === 'Manually triggered workflow',
  );
  const { others } = contextResources(runnerContext('workflow_run', payload));
  assert.equal(
    json(others.at(-1)),
    json({
      'prefect.resource.id': 'github.workflow-run.1589141559',
      'prefect.resource.role': 'triggering-workflow-run',
      'prefect.resource.name': 'Manually triggered workflow',
      'github.event-name': 'workflow_dispatch',
      'github.head-ref': 'main',
      'github.head-sha': '5779607b49aab1200488439f02372c57b4f75444',
      'github.url': 'https://github.com/octo-org/octo-repo/actions/runs/1589141559',
    }),
  );
});
