// The GitHub workflow context as Prefect related resources (DESIGN §1, "Workflow context as related resources").
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contextResources, type WorkflowContext } from '../../src/context/index.ts';
import { asRelated } from '../../src/event/build.ts';
import { RUNNER_CONTEXT } from '../../tools/runner.ts';
import {
  PUSH_ACTOR_RELATED,
  PUSH_COMMIT_RELATED,
  PUSH_REPOSITORY_RELATED,
  PUSH_RUN_RELATED,
  PUSH_RUN_RESOURCE,
} from '../support/push-context.ts';

const SHA = RUNNER_CONTEXT.GITHUB_SHA;
const HEAD_SHA = 'c4295bd74fb0ad6e2a0f1b6e1e4a2c6f9e8d7c6b';
const MERGE_SHA = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';

/**
 * What @actions/github's context holds on a push to main, in the run the end-to-end tests use (RUNNER_CONTEXT;
 * payload abridged from a real push event).
 */
const PUSH: WorkflowContext = {
  serverUrl: RUNNER_CONTEXT.GITHUB_SERVER_URL,
  repository: RUNNER_CONTEXT.GITHUB_REPOSITORY,
  runId: Number(RUNNER_CONTEXT.GITHUB_RUN_ID),
  runNumber: Number(RUNNER_CONTEXT.GITHUB_RUN_NUMBER),
  runAttempt: Number(RUNNER_CONTEXT.GITHUB_RUN_ATTEMPT),
  workflow: RUNNER_CONTEXT.GITHUB_WORKFLOW,
  job: RUNNER_CONTEXT.GITHUB_JOB,
  eventName: 'push',
  sha: SHA,
  ref: RUNNER_CONTEXT.GITHUB_REF,
  actor: RUNNER_CONTEXT.GITHUB_ACTOR,
  payload: {
    ref: 'refs/heads/main',
    before: '0000000000000000000000000000000000000000',
    after: SHA,
    repository: {
      id: 1296269,
      full_name: 'octo-org/octo-repo',
      html_url: 'https://github.com/octo-org/octo-repo',
    },
    pusher: { name: 'octocat', email: 'octocat@github.com' },
    sender: { login: 'octocat', id: 1 },
    head_commit: { id: SHA, message: 'Deploy churn model', timestamp: '2026-01-31T12:00:00Z' },
    commits: [],
  },
};

/** A pull_request "opened" event: the payload fragment the pull request resource reads, and its neighbours. */
const PULL_REQUEST: WorkflowContext = {
  ...PUSH,
  eventName: 'pull_request',
  sha: MERGE_SHA,
  ref: 'refs/pull/7/merge',
  actor: 'hubot',
  payload: {
    action: 'opened',
    number: 7,
    pull_request: {
      id: 279147437,
      number: 7,
      state: 'open',
      title: 'Add the churn model',
      html_url: 'https://github.com/octo-org/octo-repo/pull/7',
      user: { login: 'hubot' },
      head: { ref: 'feature/churn', sha: HEAD_SHA, repo: { full_name: 'octo-org/octo-repo' } },
      base: { ref: 'main', sha: SHA, repo: { full_name: 'octo-org/octo-repo' } },
      merged: false,
    },
    repository: { full_name: 'octo-org/octo-repo' },
    sender: { login: 'hubot' },
  },
};

/** Labels as JSON, so the order Prefect shows them in is compared too. */
const json = (value: unknown) => JSON.stringify(value, null, 1);

describe('contextResources', () => {
  test('a push: the workflow run, then commit, repository and actor', () => {
    const resources = contextResources(PUSH);
    assert.equal(json(resources.workflowRun), json(PUSH_RUN_RESOURCE));
    assert.equal(
      json(resources.others),
      json([PUSH_COMMIT_RELATED, PUSH_REPOSITORY_RELATED, PUSH_ACTOR_RELATED]),
    );
  });

  test('extra labels are github.*, lowercase kebab-case; roles follow the ids', () => {
    const { workflowRun, others } = contextResources(PULL_REQUEST);
    for (const resource of [workflowRun ?? {}, ...others]) {
      for (const label of Object.keys(resource)) {
        assert.match(label, /^(prefect\.resource\.(id|role|name)|github\.[a-z]+(-[a-z]+)*)$/);
      }
    }
    for (const resource of others) {
      assert.deepEqual(Object.keys(resource).slice(0, 2), ['prefect.resource.id', 'prefect.resource.role']);
    }
  });

  test('GitHub Enterprise Server: the URLs use its server URL', () => {
    const { workflowRun, others } = contextResources({ ...PUSH, serverUrl: 'https://github.acme.example' });
    assert.equal(
      workflowRun?.['github.url'],
      'https://github.acme.example/octo-org/octo-repo/actions/runs/1234567890',
    );
    assert.deepEqual(
      others.map((resource) => resource['github.url']),
      [
        `https://github.acme.example/octo-org/octo-repo/commit/${SHA}`,
        'https://github.acme.example/octo-org/octo-repo',
        'https://github.acme.example/octocat',
      ],
    );
  });

  test('a pull request event adds the pull request last, with its title, URL and branches', () => {
    const resources = contextResources(PULL_REQUEST);
    assert.equal(resources.workflowRun?.['github.event-name'], 'pull_request');
    assert.deepEqual(
      resources.others.map((resource) => resource['prefect.resource.role']),
      ['commit', 'repository', 'actor', 'pull-request'],
    );
    assert.equal(
      json(resources.others.at(-1)),
      json({
        'prefect.resource.id': 'github.pull-request.octo-org/octo-repo/7',
        'prefect.resource.role': 'pull-request',
        'prefect.resource.name': 'Add the churn model',
        'github.number': '7',
        'github.url': 'https://github.com/octo-org/octo-repo/pull/7',
        'github.head-ref': 'feature/churn',
        'github.head-sha': HEAD_SHA,
        'github.base-ref': 'main',
      }),
    );
    assert.deepEqual(resources.others[0], {
      'prefect.resource.id': `github.commit.${MERGE_SHA}`,
      'prefect.resource.role': 'commit',
      'github.repository': 'octo-org/octo-repo',
      'github.ref': 'refs/pull/7/merge',
      'github.url': `https://github.com/octo-org/octo-repo/commit/${MERGE_SHA}`,
    });
  });

  test('other pull request events (a review) carry the pull request too', () => {
    const review = contextResources({ ...PULL_REQUEST, eventName: 'pull_request_review' });
    assert.equal(review.others.at(-1)?.['prefect.resource.id'], 'github.pull-request.octo-org/octo-repo/7');
  });

  test('a bot actor links to its app page (a bot login has no profile page)', () => {
    const { others } = contextResources({ ...PULL_REQUEST, actor: 'dependabot[bot]' });
    assert.deepEqual(
      others.find((resource) => resource['prefect.resource.role'] === 'actor'),
      {
        'prefect.resource.id': 'github.user.dependabot[bot]',
        'prefect.resource.role': 'actor',
        'prefect.resource.name': 'dependabot[bot]',
        'github.url': 'https://github.com/apps/dependabot',
      },
    );
  });

  test('a pull request without title or branches: no empty labels', () => {
    const bare = contextResources({ ...PULL_REQUEST, payload: { pull_request: { number: 7, title: '' } } });
    assert.deepEqual(bare.others.at(-1), {
      'prefect.resource.id': 'github.pull-request.octo-org/octo-repo/7',
      'prefect.resource.role': 'pull-request',
      'github.number': '7',
    });
  });

  test('outside a workflow run: no workflow run, no resources, no empty labels', () => {
    const outside: WorkflowContext = {
      serverUrl: 'https://github.com',
      repository: '',
      runId: 0,
      runNumber: 0,
      runAttempt: 0,
      workflow: '',
      job: '',
      eventName: '',
      sha: '',
      ref: '',
      actor: '',
      payload: {},
    };
    const resources = contextResources(outside);
    assert.equal('workflowRun' in resources, false);
    assert.deepEqual(resources.others, []);
  });

  test('only part of the context known: the resources it names, without empty or made-up labels', () => {
    const partial = contextResources({
      ...PUSH,
      repository: '',
      runId: 0,
      ref: '',
      actor: '',
      payload: { pull_request: { number: 7, title: 'Add the churn model' } },
    });
    assert.equal('workflowRun' in partial, false);
    // The commit is known, but without a repository it has no URL; a pull request needs its repository.
    assert.deepEqual(partial.others, [
      { 'prefect.resource.id': `github.commit.${SHA}`, 'prefect.resource.role': 'commit' },
    ]);
  });
});

describe('asRelated', () => {
  test('puts the role right after the id and keeps the other labels in order', () => {
    const workflowRun = contextResources(PUSH).workflowRun ?? {};
    const related = asRelated(workflowRun, 'workflow-run');
    assert.equal(json(related), json(PUSH_RUN_RELATED));
    assert.equal(json(workflowRun), json(PUSH_RUN_RESOURCE)); // the primary resource is not changed
  });

  test('a user resource given as related keeps its labels', () => {
    assert.equal(
      json(asRelated({ 'acme.owner': 'ml', 'prefect.resource.id': 'acme.model.churn' }, 'model')),
      json({
        'prefect.resource.id': 'acme.model.churn',
        'prefect.resource.role': 'model',
        'acme.owner': 'ml',
      }),
    );
  });
});
