// schedule: the cron on the workflow run. GitHub sends no webhook for schedules, so the payload is the one
// the runner writes (the cron and the workflow file) around a real repository from GitHub's examples.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextResources } from '../../src/context/index.ts';
import { example, runnerContext } from '../support/webhook-examples.ts';

const { repository, organization } = example('push');

test('a scheduled run: the cron is the run resource last label', () => {
  const payload = {
    schedule: '30 5 * * 1,3',
    workflow: '.github/workflows/nightly.yml',
    repository,
    organization,
  };
  const { workflowRun, others } = contextResources(runnerContext('schedule', payload));
  assert.deepEqual(Object.entries(workflowRun ?? {}).at(-1), ['github.schedule', '30 5 * * 1,3']);
  assert.equal(workflowRun?.['github.event-name'], 'schedule');
  assert.deepEqual(
    others.map((resource) => resource['prefect.resource.role']),
    ['commit', 'repository'],
  );
});

test('a schedule label only on schedule runs, and only when the payload has the cron', () => {
  const push = contextResources(runnerContext('push', { ...example('push'), schedule: '0 0 * * *' }));
  assert.equal('github.schedule' in (push.workflowRun ?? {}), false);
  const bare = contextResources(runnerContext('schedule', { repository }));
  assert.equal('github.schedule' in (bare.workflowRun ?? {}), false);
});
