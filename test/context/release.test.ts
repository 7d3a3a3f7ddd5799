// release triggers: the release resource, from GitHub's example payloads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextResources } from '../../src/context/index.ts';
import { at, example, runnerContext } from '../support/webhook-examples.ts';

const json = (value: unknown) => JSON.stringify(value, null, 1);

test('release prereleased: the release by its tag, a prerelease; its empty name left out', () => {
  const { others } = contextResources(
    runnerContext(
      'release',
      example('release', (p) => p.action === 'prereleased'),
    ),
  );
  assert.deepEqual(
    others.map((resource) => resource['prefect.resource.role']),
    ['commit', 'repository', 'actor', 'release'],
  );
  assert.equal(
    json(others.at(-1)),
    json({
      'prefect.resource.id': 'github.release.Codertocat/Hello-World/0.0.1',
      'prefect.resource.role': 'release',
      'github.tag': '0.0.1',
      'github.prerelease': 'true',
      'github.url': 'https://github.com/Codertocat/Hello-World/releases/tag/0.0.1',
    }),
  );
});

test('release published with a name: the name is the resource name', () => {
  const payload = example('release', (p) => p.action === 'published');
  Object.assign(at('release')(payload) as object, { name: 'Churn model 0.0.1' });
  const { others } = contextResources(runnerContext('release', payload));
  assert.equal(
    json(others.at(-1)),
    json({
      'prefect.resource.id': 'github.release.Codertocat/Hello-World/0.0.1',
      'prefect.resource.role': 'release',
      'prefect.resource.name': 'Churn model 0.0.1',
      'github.tag': '0.0.1',
      'github.prerelease': 'false',
      'github.url': 'https://github.com/Codertocat/Hello-World/releases/tag/0.0.1',
    }),
  );
});
