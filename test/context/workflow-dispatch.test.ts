// workflow_dispatch: the run's inputs as github.input.{name} labels on the workflow run resource.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextResources } from '../../src/context/index.ts';
import { asRelated } from '../../src/event/build.ts';
import { inputLabelName } from '../../src/context/workflow-dispatch.ts';
import { buildEvent } from '../../src/event/build.ts';
import { originOf } from '../../src/event/spec.ts';
import { serverProblems } from '../support/prefect-schema.ts';
import { example, runnerContext } from '../support/webhook-examples.ts';

const json = (value: unknown) => JSON.stringify(value, null, 1);
const RUN = {
  'prefect.resource.id': 'github.workflow-run.1234567890',
  'prefect.resource.name': 'Emit',
  'github.run-number': '42',
  'github.run-attempt': '1',
  'github.job': 'emit',
  'github.event-name': 'workflow_dispatch',
  'github.repository': 'octo-org/octo-repo',
  'github.url': 'https://github.com/octo-org/octo-repo/actions/runs/1234567890',
};

function dispatched(inputs: unknown) {
  const payload = { ...example('workflow_dispatch'), inputs };
  return contextResources(runnerContext('workflow_dispatch', payload));
}

test('a dispatch without inputs (GitHub example): the workflow run as always, nothing added', () => {
  const { workflowRun, others } = contextResources(
    runnerContext('workflow_dispatch', example('workflow_dispatch')),
  );
  assert.equal(json(workflowRun), json(RUN));
  assert.deepEqual(
    others.map((resource) => resource['prefect.resource.role']),
    ['commit', 'repository', 'actor'],
  );
});

test('inputs follow the run labels in their order; booleans and numbers as strings', () => {
  const { workflowRun } = dispatched({ environment: 'staging', dry_run: true, retries: 3 });
  assert.equal(
    json(workflowRun),
    json({
      ...RUN,
      'github.input.environment': 'staging',
      'github.input.dry-run': 'true',
      'github.input.retries': '3',
    }),
  );
});

test('odd input names become lowercase kebab-case keys; empty, null and object values are left out', () => {
  const { workflowRun } = dispatched({
    Model_Version: '1.2.0',
    'model-version': 'a second name for the same key: the first keeps it',
    'Target  Env!': 'prod',
    __: 'no letters or digits: no key',
    日本: 'no ASCII letters: no key',
    notes: '',
    tag: null,
    matrix: { os: 'linux' },
  });
  const inputs = Object.entries(workflowRun ?? {}).filter(([key]) => key.startsWith('github.input.'));
  assert.deepEqual(inputs, [
    ['github.input.model-version', '1.2.0'],
    ['github.input.target-env', 'prod'],
  ]);
});

test('inputLabelName', () => {
  assert.equal(inputLabelName('Dry_Run'), 'dry-run');
  assert.equal(inputLabelName('-python3.12-'), 'python3-12');
  assert.equal(inputLabelName('__'), '');
});

test('600 inputs: capped so the run keeps within 500 labels even as a related resource', () => {
  const inputs = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`input_${i}`, `value ${i}`]));
  const { workflowRun, others } = dispatched(inputs);
  assert.ok(workflowRun);
  assert.equal(Object.keys(workflowRun).length, 499);
  assert.equal(workflowRun['github.input.input-0'], 'value 0');
  assert.equal(workflowRun['github.input.input-490'], 'value 490');
  assert.equal('github.input.input-491' in workflowRun, false);
  const related = asRelated(workflowRun, 'workflow-run');
  assert.equal(Object.keys(related).length, 500);
  const event = (resource: Record<string, string>, relatedResources: Record<string, string>[]) =>
    buildEvent(
      {
        event: 'acme.model.trained',
        resource,
        related: relatedResources,
        payload: {},
        occurred: new Date('2026-01-31T12:00:00Z'),
        origin: originOf('test'),
      },
      { related: [], relateWorkflowRun: false, now: new Date('2026-01-31T12:00:00Z') },
    ).event;
  const body = JSON.stringify([
    event(workflowRun, others),
    event({ 'prefect.resource.id': 'acme.model.churn' }, [related, ...others]),
  ]);
  assert.deepEqual(serverProblems(body), []);
});

test('inputs on another trigger are not read (a run is dispatched only by workflow_dispatch)', () => {
  const payload = { ...example('push'), inputs: { environment: 'staging' } };
  const { workflowRun } = contextResources(runnerContext('push', payload));
  assert.equal('github.input.environment' in (workflowRun ?? {}), false);
});
