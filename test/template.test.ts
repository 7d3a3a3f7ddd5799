// fillTemplate: ${{ github.* }} and ${{ env.* }} in parsed file values, with the exact error a user reads
// after the file's name. Payloads are GitHub's own examples (npm @octokit/webhooks-examples).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { fillTemplate, githubTemplateContext, TemplateError, type TemplateContext } from '../src/template.ts';

type Payload = Record<string, unknown>;
const examples = JSON.parse(
  readFileSync(
    createRequire(import.meta.url).resolve('@octokit/webhooks-examples/api.github.com/index.json'),
    'utf8',
  ),
) as { name: string; examples: Payload[] }[];
const pullRequestOpened = examples
  .find((definition) => definition.name === 'pull_request')
  ?.examples.find((example) => example.action === 'opened');
assert.ok(pullRequestOpened, 'the package has a pull_request opened example');

const HOSTILE_TITLE = 'Fix "quotes", back\\slashes,\nnewlines, </td><script>x</script> and ${{ env.SECRET }}';

/** The runner's variables for a pull_request run, as a workflow step sees them. */
const RUNNER_ENV: Record<string, string> = {
  GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
  GITHUB_REF: 'refs/pull/2/merge',
  GITHUB_REF_NAME: '2/merge',
  GITHUB_REF_TYPE: 'branch',
  GITHUB_REF_PROTECTED: 'false',
  GITHUB_HEAD_REF: 'changes',
  GITHUB_BASE_REF: 'master',
  GITHUB_REPOSITORY: 'Codertocat/Hello-World',
  GITHUB_REPOSITORY_OWNER: 'Codertocat',
  GITHUB_RUN_ID: '9876543210',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_WORKFLOW: 'CI',
  GITHUB_JOB: 'build',
  GITHUB_ACTOR: 'Codertocat',
  GITHUB_TRIGGERING_ACTOR: 'Codertocat',
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_WORKSPACE: '/home/runner/work/Hello-World/Hello-World',
  GITHUB_TOKEN: 'ghs_not_in_the_context',
};

function contextFor(payload: Payload, env: Record<string, string | undefined> = {}): TemplateContext {
  return {
    github: githubTemplateContext(RUNNER_ENV, payload),
    env: { ...RUNNER_ENV, ...env },
    forbidden: new Set(['PREFECT_API_KEY', 'PREFECT_API_AUTH_STRING']),
    secrets: ['pnu_0123456789abcdefghijklmnopqrstuvwxyz', 'admin:hunter2-long-password'],
  };
}

const hostilePayload: Payload & { pull_request: Payload & { head: Payload & { repo: Payload } } } = {
  ...pullRequestOpened,
  pull_request: {
    ...(pullRequestOpened.pull_request as Payload & { head: Payload & { repo: Payload } }),
    title: HOSTILE_TITLE,
  },
};
const context = contextFor(hostilePayload, { TITLE_PREFIX: "it's", SECRET: 'x' });

/** Asserts that filling fails with this message, placeholder and path. */
function refuses(value: unknown, message: string, placeholder: string, path: string, with_ = context): void {
  assert.throws(
    () => fillTemplate(value, with_),
    (error: unknown) => {
      assert.ok(error instanceof TemplateError, String(error));
      assert.equal(error.message, message);
      assert.equal(error.placeholder, placeholder);
      assert.equal(error.path, path);
      return true;
    },
  );
}

describe('substitution', () => {
  test('a pull request payload file: hostile text arrives intact, and a nested ${{ stays literal', () => {
    const file = {
      title: '${{ github.event.pull_request.title }}',
      summary: 'PR #${{ github.event.pull_request.number }}: ${{github.event.pull_request.title}}',
      author: '${{ github.event.pull_request.user.login }}',
    };
    const filled = fillTemplate(file, context);
    assert.deepEqual(filled, {
      title: HOSTILE_TITLE,
      summary: `PR #2: ${HOSTILE_TITLE}`,
      author: 'Codertocat',
    });
    // And it serialises to JSON that reads back the same: nothing broke out of its string.
    assert.deepEqual(JSON.parse(JSON.stringify(filled)), filled);
  });

  test('one placeholder alone keeps the JSON type: number, boolean, null, object, list', () => {
    const filled = fillTemplate(
      {
        number: '${{ github.event.number }}',
        draft: '${{ github.event.pull_request.draft }}',
        merged_at: '${{ github.event.pull_request.merged_at }}',
        head: '${{ github.event.pull_request.head.repo.owner }}',
        labels: '${{ github.event.pull_request.labels }}',
        spaced: '${{   github.event.number   }}',
        padded: ' ${{ github.event.number }}',
      },
      context,
    ) as Payload;
    assert.equal(filled.number, 2);
    assert.equal(filled.draft, false);
    assert.equal(filled.merged_at, null);
    assert.deepEqual(filled.head, hostilePayload.pull_request.head.repo.owner);
    assert.deepEqual(filled.labels, []);
    assert.equal(filled.spaced, 2);
    assert.equal(filled.padded, ' 2');
  });

  test('inside a longer string: scalars as text, null as nothing, objects and lists as compact JSON', () => {
    const filled = fillTemplate(
      [
        'draft=${{ github.event.pull_request.draft }} merged=${{ github.event.pull_request.merged_at }}.',
        'base=${{ github.event.pull_request.base.repo.license }}',
        'env=${{ env.TITLE_PREFIX }}',
      ],
      contextFor(
        { pull_request: { draft: true, merged_at: null, base: { repo: { license: { key: 'mit' } } } } },
        {
          TITLE_PREFIX: "it's",
        },
      ),
    );
    assert.deepEqual(filled, ['draft=true merged=.', 'base={"key":"mit"}', "env=it's"]);
  });

  test('github context names from the runner; the payload as github.event; list indexes', () => {
    const filled = fillTemplate(
      {
        at: '${{ github.repository }}@${{ github.sha }} (${{ github.ref_name }}, ${{ github.event_name }})',
        run: '${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}',
        who: '${{ github.actor }} / ${{ github.triggering_actor }} in ${{ github.workflow }}.${{ github.job }}',
        protected: '${{ github.ref_protected }}',
        first_label: '${{ github.event.labels[0].name }}',
      },
      contextFor({ labels: [{ name: 'bug' }] }),
    );
    assert.deepEqual(filled, {
      at: 'Codertocat/Hello-World@ec26c3e57ca3a959ca5aad62de7213c562f8c821 (2/merge, pull_request)',
      run: 'https://github.com/Codertocat/Hello-World/actions/runs/9876543210',
      who: 'Codertocat / Codertocat in CI.build',
      protected: false,
      first_label: 'bug',
    });
  });

  test('keys are templated too, and always text', () => {
    assert.deepEqual(
      fillTemplate({ 'pr-${{ github.event.number }}': { '${{ github.event.number }}': 'x' } }, context),
      { 'pr-2': { '2': 'x' } },
    );
  });

  test('arrays, nested anywhere; values that are not strings pass as they are', () => {
    const events = [
      {
        event: 'acme.pr.opened',
        payload: { commits: [1, true, null, '${{ github.event.pull_request.commits }}'] },
      },
    ];
    assert.deepEqual(fillTemplate(events, context), [
      { event: 'acme.pr.opened', payload: { commits: [1, true, null, 1] } },
    ]);
  });

  test("defaults: || 'text' when the value is missing or empty, '' for a quote, and 'literal' alone", () => {
    const filled = fillTemplate(
      {
        unset: "${{ env.NOT_SET || 'n/a' }}",
        set: "${{ env.TITLE_PREFIX || 'unused' }}",
        missing: "${{ github.event.pull_request.nothing_here || 'it''s missing' }}",
        empty: "${{ env.EMPTY || 'was empty' }}",
        braces: "${{ env.NOT_SET || 'a }} b' }}!",
        literal: "${{ '${{ not a placeholder }}' }}",
      },
      contextFor(hostilePayload, { TITLE_PREFIX: 'pre', EMPTY: '' }),
    );
    assert.deepEqual(filled, {
      unset: 'n/a',
      set: 'pre',
      missing: "it's missing",
      empty: 'was empty',
      braces: 'a }} b!',
      literal: '${{ not a placeholder }}',
    });
  });

  test('the value given is not changed, and the filled value shares nothing with the payload', () => {
    const file = { head: '${{ github.event.pull_request.head }}' };
    const filled = fillTemplate(file, context) as { head: Payload };
    filled.head.ref = 'changed';
    assert.equal(file.head, '${{ github.event.pull_request.head }}');
    assert.equal(hostilePayload.pull_request.head.ref, 'changes');
  });
});

describe('refused, naming the placeholder and where it is', () => {
  test('a missing value', () => {
    refuses(
      { payload: { title: '${{ env.RELEASE_NAME }}' } },
      "cannot fill ${{ env.RELEASE_NAME }} at payload.title: the variable RELEASE_NAME is not set: set it, or give a default as ${{ env.RELEASE_NAME || 'default' }}",
      '${{ env.RELEASE_NAME }}',
      'payload.title',
    );
    refuses(
      [{}, {}, {}, { payload: { commits: ['${{ github.event.head_commit.id }}'] } }],
      "cannot fill ${{ github.event.head_commit.id }} at [3].payload.commits[0]: github.event.head_commit.id has no value in this run (event pull_request): give a default as ${{ github.event.head_commit.id || 'default' }}",
      '${{ github.event.head_commit.id }}',
      '[3].payload.commits[0]',
    );
    refuses(
      { 'odd key': '${{ github.event.labels[5] }}' },
      'cannot fill ${{ github.event.labels[5] }} at ["odd key"]: github.event.labels[5] has no value in this run (event pull_request): give a default as ${{ github.event.labels[5] || \'default\' }}',
      '${{ github.event.labels[5] }}',
      '["odd key"]',
    );
  });

  test('names inherited from Object are not values', () => {
    refuses(
      '${{ github.event.constructor }}',
      "cannot fill ${{ github.event.constructor }} at the top level: github.event.constructor has no value in this run (event pull_request): give a default as ${{ github.event.constructor || 'default' }}",
      '${{ github.event.constructor }}',
      '',
    );
  });

  test('credentials: by variable name, github.token, and by value whatever the name', () => {
    const never = 'it is a credential of the action, and credentials are never put into a file';
    refuses(
      { key: '${{ env.PREFECT_API_KEY }}' },
      `cannot fill \${{ env.PREFECT_API_KEY }} at key: PREFECT_API_KEY holds a credential; ${never}`,
      '${{ env.PREFECT_API_KEY }}',
      'key',
      contextFor({}, { PREFECT_API_KEY: 'pnu_0123456789abcdefghijklmnopqrstuvwxyz' }),
    );
    // Even unset, even with a default: the file is wrong, not the run.
    refuses(
      { auth: "x ${{ env.PREFECT_API_AUTH_STRING || 'none' }}" },
      `cannot fill \${{ env.PREFECT_API_AUTH_STRING || 'none' }} at auth: PREFECT_API_AUTH_STRING holds a credential; ${never}`,
      "${{ env.PREFECT_API_AUTH_STRING || 'none' }}",
      'auth',
    );
    refuses(
      { token: '${{ github.token }}' },
      `cannot fill \${{ github.token }} at token: github.token is a credential; ${never}`,
      '${{ github.token }}',
      'token',
    );
    refuses(
      { copy: 'key=${{ env.MY_COPY }}' },
      `cannot fill \${{ env.MY_COPY }} at copy: its value holds a credential; ${never}`,
      '${{ env.MY_COPY }}',
      'copy',
      contextFor({}, { MY_COPY: 'Bearer pnu_0123456789abcdefghijklmnopqrstuvwxyz' }),
    );
    // The message names the variable, never the value.
    assert.throws(
      () => fillTemplate('${{ env.MY_COPY }}', contextFor({}, { MY_COPY: 'admin:hunter2-long-password' })),
      (error: Error) => !error.message.includes('hunter2'),
    );
  });

  test('expressions other than github.* and env.* with a default', () => {
    const only =
      "only ${{ github.<path> }} and ${{ env.<NAME> }} are supported, with an optional default as || 'text'";
    for (const inside of [
      'secrets',
      'vars.NAME',
      'steps.build.outputs.id',
      'inputs.name',
      "format('{0}', github.sha)",
      'toJSON(github.event)',
      "github.event_name == 'push'",
      'github.sha && env.X',
      'env.A || env.B',
      "env.A || 'x' || 'y'",
      'env.A.B',
      "github['sha']",
      'github.event.*.name',
      'github',
      '',
    ]) {
      const placeholder = `\${{ ${inside} }}`;
      refuses({ x: [placeholder] }, `cannot fill ${placeholder} at x[0]: ${only}`, placeholder, 'x[0]');
    }
  });

  test('${{ secrets.X }}: pass it through env:, unless it is a credential the action holds', () => {
    refuses(
      { token: '${{ secrets.API_TOKEN }}' },
      'cannot fill ${{ secrets.API_TOKEN }} at token: secrets are not available in a file: pass the secret ' +
        "through the step's env: (env: API_TOKEN: ${{ secrets.API_TOKEN }}) and write ${{ env.API_TOKEN }}; " +
        'credentials the action itself holds (api-key, auth-string) are refused even then',
      '${{ secrets.API_TOKEN }}',
      'token',
    );
    // What the hint says works: the secret's value through a variable of the step.
    assert.deepEqual(fillTemplate({ token: '${{ env.API_TOKEN }}' }, contextFor({}, { API_TOKEN: 's3' })), {
      token: 's3',
    });
    refuses(
      ['${{ secrets.prefect_api_key }}'],
      'cannot fill ${{ secrets.prefect_api_key }} at [0]: secrets.prefect_api_key is a credential; it is a ' +
        'credential of the action, and credentials are never put into a file',
      '${{ secrets.prefect_api_key }}',
      '[0]',
    );
  });

  test('an unclosed ${{', () => {
    refuses(
      { note: 'costs ${{ env.PRICE' },
      'cannot fill ${{ env.PRICE at note: the ${{ has no closing }}',
      '${{ env.PRICE',
      'note',
    );
  });

  test('in a key, and two keys that become one', () => {
    refuses(
      { '${{ env.NOPE }}': 1 },
      'cannot fill ${{ env.NOPE }} at the key at ["${{ env.NOPE }}"]: the variable NOPE is not set: set it, or give a default as ${{ env.NOPE || \'default\' }}',
      '${{ env.NOPE }}',
      '["${{ env.NOPE }}"]',
    );
    refuses(
      { a: { '${{ github.job }}': 1, build: 2 } },
      'cannot fill ${{ github.job }} at the key at a["${{ github.job }}"]: the key becomes "build", which the map already has',
      '${{ github.job }}',
      'a["${{ github.job }}"]',
    );
  });
});

describe('githubTemplateContext', () => {
  test('the runner variables by their context names, the payload as event, never the token', () => {
    const payload = { action: 'opened' };
    assert.deepEqual(githubTemplateContext({ ...RUNNER_ENV, GITHUB_HEAD_REF: '' }, payload), {
      actor: 'Codertocat',
      api_url: 'https://api.github.com',
      base_ref: 'master',
      event_name: 'pull_request',
      job: 'build',
      ref: 'refs/pull/2/merge',
      ref_name: '2/merge',
      ref_protected: false,
      ref_type: 'branch',
      repository: 'Codertocat/Hello-World',
      repository_owner: 'Codertocat',
      run_attempt: '1',
      run_id: '9876543210',
      run_number: '42',
      server_url: 'https://github.com',
      sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      triggering_actor: 'Codertocat',
      workflow: 'CI',
      workspace: '/home/runner/work/Hello-World/Hello-World',
      event: payload,
    });
  });
});

describe('credentials in any case', () => {
  test("a forbidden name in lower case is refused too (Windows' environment ignores case)", () => {
    assert.throws(
      () =>
        fillTemplate('${{ env.actions_runtime_token }}', {
          github: {},
          env: { actions_runtime_token: 'x' },
          forbidden: new Set(['ACTIONS_RUNTIME_TOKEN']),
        }),
      { name: 'TemplateError', message: /actions_runtime_token holds a credential/ },
    );
  });
});
