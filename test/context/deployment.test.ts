// deployment and deployment_status triggers: the deployment resource, from GitHub's example payloads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextResources } from '../../src/context/index.ts';
import { at, example, runnerContext } from '../support/webhook-examples.ts';

const json = (value: unknown) => JSON.stringify(value, null, 1);
const deployment = {
  'prefect.resource.id': 'github.deployment.Codertocat/Hello-World/145988746',
  'prefect.resource.role': 'deployment',
};

test('deployment: the deployment last, with its environment, ref and task (no description: it is null)', () => {
  const payload = example('deployment', (p) => p.action === 'created');
  const { others } = contextResources(runnerContext('deployment', payload));
  assert.deepEqual(
    others.map((resource) => resource['prefect.resource.role']),
    ['commit', 'repository', 'actor', 'deployment'],
  );
  assert.equal(
    json(others.at(-1)),
    json({
      ...deployment,
      'github.environment': 'production',
      'github.ref': 'master',
      'github.task': 'deploy',
    }),
  );
});

test('deployment_status: the status state and its log and target URLs; the empty environment URL left out', () => {
  const payload = example('deployment_status', (p) => at('deployment_status', 'state')(p) === 'in_progress');
  const { others } = contextResources(runnerContext('deployment_status', payload));
  assert.equal(
    json(others.at(-1)),
    json({
      ...deployment,
      'github.environment': 'github-pages',
      'github.ref': 'master',
      'github.task': 'deploy',
      'github.state': 'in_progress',
      'github.log-url': 'https://github.com/CorsixTH/CorsixTH/runs/4687056418?check_suite_focus=true',
      'github.target-url': 'https://github.com/Codertocat/Hello-World/runs/145988746?check_suite_focus=true',
    }),
  );
});

test('deployment_status: a success with an environment URL and description names them', () => {
  const payload = example('deployment_status', (p) => at('deployment_status', 'state')(p) === 'success');
  Object.assign(at('deployment_status')(payload) as object, {
    environment_url: 'https://churn.acme.example',
    description: 'Deployed churn model v3',
  });
  const { others } = contextResources(runnerContext('deployment_status', payload));
  assert.equal(
    json(others.at(-1)),
    json({
      ...deployment,
      'github.environment': 'production',
      'github.ref': 'master',
      'github.task': 'deploy',
      'github.state': 'success',
      'github.description': 'Deployed churn model v3',
      'github.environment-url': 'https://churn.acme.example',
    }),
  );
});

test('a deployment made by a workflow run is not taken for a workflow_run trigger', () => {
  const payload = example('deployment', (p) => 'workflow_run' in p);
  const { others } = contextResources(runnerContext('deployment', payload));
  assert.deepEqual(
    others.map((resource) => resource['prefect.resource.role']),
    ['commit', 'repository', 'actor', 'deployment'],
  );
});
