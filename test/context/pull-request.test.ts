// Every pull request trigger carries the pull request resource (GitHub's example payloads).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextResources } from '../../src/context/index.ts';
import { at, example, runnerContext } from '../support/webhook-examples.ts';

const json = (value: unknown) => JSON.stringify(value, null, 1);

for (const [eventName, webhook] of [
  ['pull_request_target', 'pull_request'],
  ['pull_request_review', 'pull_request_review'],
  ['pull_request_review_comment', 'pull_request_review_comment'],
  ['pull_request_review_thread', 'pull_request_review_thread'],
] as const) {
  test(`${eventName}: the pull request last, with its title, URL and branches`, () => {
    const payload = example(webhook, (p) => at('repository', 'full_name')(p) === 'Codertocat/Hello-World');
    const { others } = contextResources(runnerContext(eventName, payload));
    assert.equal(
      json(others.at(-1)),
      json({
        'prefect.resource.id': 'github.pull-request.Codertocat/Hello-World/2',
        'prefect.resource.role': 'pull-request',
        'prefect.resource.name': 'Update the README with new information.',
        'github.number': '2',
        'github.url': 'https://github.com/Codertocat/Hello-World/pull/2',
        'github.head-ref': 'changes',
        'github.head-sha': 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
        'github.base-ref': 'master',
      }),
    );
  });
}

test('a comment on a pull request is an issue_comment event, not a pull request one: no pull request resource', () => {
  const payload = example('issue_comment', (p) => p.action === 'created');
  // The examples' issues are plain issues; on a pull request the issue links to it, and nothing more.
  Object.assign(at('issue')(payload) as object, {
    pull_request: { html_url: 'https://github.com/Codertocat/Hello-World/pull/2' },
  });
  const { others } = contextResources(runnerContext('issue_comment', payload));
  assert.deepEqual(
    others.map((resource) => resource['prefect.resource.role']),
    ['commit', 'repository', 'actor'],
  );
});
