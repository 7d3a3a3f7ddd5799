// End to end: payload files filled from the workflow after parsing, so a hostile pull request title arrives
// in Prefect exactly as titled; YAML wherever JSON is taken.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { serverProblems } from '../support/prefect-schema.ts';
import { examples } from '../support/webhook-examples.ts';
import { runAction, RUNNER_CONTEXT } from '../../tools/runner.ts';

const TITLE = 'Fix "quotes", back\\slash\n</td>${{ env.PREFECT_API_KEY }} \', "injected": true, "x": "';

/** GitHub's real pull_request "opened" example, its title replaced by a hostile one. */
function pullRequestPayload(): Record<string, unknown> {
  const [example] = examples('api.github.com', 'pull_request').filter(
    (payload) => payload.action === 'opened',
  );
  assert.ok(example);
  const payload = structuredClone(example);
  (payload.pull_request as Record<string, unknown>).title = TITLE;
  return payload;
}

describe('templated payload files and YAML, through dist/index.js', () => {
  let prefect: PrefectStub;
  before(async () => (prefect = await startPrefectStub()));
  after(() => prefect.close());
  beforeEach(() => prefect.reset());

  const sentPayload = () =>
    (JSON.parse(prefect.requests[0]?.body ?? '[]') as { payload: Record<string, unknown> }[])[0]?.payload;

  test('a pull request title with quotes, a backslash, a new line and a placeholder arrives exactly as titled', async () => {
    const payload = pullRequestPayload();
    const run = await runAction({
      eventName: 'pull_request',
      payload,
      env: { PREFECT_API_KEY: 'pnu_never_in_a_file_123' },
      files: {
        'prefect/payload.yml': [
          '# The title is text whatever it holds: filled after parsing.',
          'title: ${{ github.event.pull_request.title }}',
          'number: ${{ github.event.pull_request.number }}',
          'draft: ${{ github.event.pull_request.draft }}',
          'summary: "PR #${{ github.event.pull_request.number }} on ${{ github.repository }}"',
          'labels: ${{ github.event.pull_request.labels }}',
          "environment: ${{ env.DEPLOY_ENV || 'staging' }}",
        ].join('\n'),
      },
      inputs: { event: 'acme.pr.opened', 'payload-file': 'prefect/payload.yml', 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.equal(prefect.requests.length, 1);
    assert.deepEqual(serverProblems(prefect.requests[0]?.body ?? ''), []);
    const pr = payload.pull_request as Record<string, unknown>;
    assert.deepEqual(sentPayload(), {
      title: TITLE,
      number: pr.number,
      draft: pr.draft,
      summary: `PR #${String(pr.number)} on ${RUNNER_CONTEXT.GITHUB_REPOSITORY}`,
      labels: pr.labels,
      environment: 'staging',
    });
  });

  test('a JSON payload file is templated the same way', async () => {
    const run = await runAction({
      files: {
        'payload.json':
          '{"sha": "${{ github.sha }}", "ref": "${{ github.ref }}", "run": "${{ github.run_id }}"}',
      },
      inputs: { event: 'acme.built', 'payload-file': 'payload.json', 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.deepEqual(sentPayload(), {
      sha: RUNNER_CONTEXT.GITHUB_SHA,
      ref: RUNNER_CONTEXT.GITHUB_REF,
      run: RUNNER_CONTEXT.GITHUB_RUN_ID,
    });
  });

  test('a credential in a file is refused, naming the placeholder; nothing is sent', async () => {
    const run = await runAction({
      env: { PREFECT_API_KEY: 'pnu_never_in_a_file_123' },
      files: { 'payload.yml': 'key: ${{ env.PREFECT_API_KEY }}' },
      inputs: { event: 'acme.built', 'payload-file': 'payload.yml', 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 1);
    assert.match(
      run.stdout,
      /::error::Input "payload-file" \(payload\.yml\) cannot fill \$\{\{ env\.PREFECT_API_KEY \}\} at key: /,
    );
    assert.equal(prefect.requests.length, 0);
  });

  test('a missing value is an error naming the placeholder and where it is', async () => {
    const run = await runAction({
      files: { 'payload.yml': 'nested:\n  - who: ${{ env.NOBODY_SET_THIS }}' },
      inputs: { event: 'acme.built', 'payload-file': 'payload.yml', 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 1);
    assert.match(
      run.stdout,
      /::error::Input "payload-file" \(payload\.yml\) cannot fill \$\{\{ env\.NOBODY_SET_THIS \}\} at nested\[0\]\.who: /,
    );
    assert.equal(prefect.requests.length, 0);
  });

  test('YAML in the payload, resource and related inputs', async () => {
    const run = await runAction({
      inputs: {
        event: 'acme.model.deployed',
        resource: 'prefect.resource.id: acme.model.churn\nacme.version: 14',
        related: '- prefect.resource.id: acme.team.ml\n  prefect.resource.role: owner',
        payload: 'version: 1.4.0\non: push\nmetrics:\n  auc: 0.91',
        'api-url': prefect.apiUrl,
      },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    const [event] = JSON.parse(prefect.requests[0]?.body ?? '[]') as Record<string, unknown>[];
    assert.deepEqual(event?.resource, { 'prefect.resource.id': 'acme.model.churn', 'acme.version': '14' });
    assert.deepEqual((event?.related as unknown[]).at(-1), {
      'prefect.resource.id': 'acme.team.ml',
      'prefect.resource.role': 'owner',
    });
    assert.deepEqual(event?.payload, { version: '1.4.0', on: 'push', metrics: { auc: 0.91 } });
  });

  test('a payload file of many placeholders for the whole webhook payload stops at the first past the bound', async () => {
    // The issue's case: 6,000 lines `kN: ${{ github.event }}` with a 100 kB payload took 1.3 GB and 4 s, then
    // "Invalid string length"; now it stops after a few (measured: 97 ms, 71 MB peak RSS).
    const payload = { ...pullRequestPayload(), padding: 'p'.repeat(100_000) };
    const first = Math.floor(1_500_000 / JSON.stringify(payload).length);
    const run = await runAction({
      eventName: 'pull_request',
      payload,
      files: {
        'prefect/many.yml': Array.from({ length: 6000 }, (_, i) => `k${i}: \${{ github.event }}`).join('\n'),
      },
      inputs: { event: 'acme.pr.opened', 'payload-file': 'prefect/many.yml', 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 1, run.stdout);
    const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
    assert.deepEqual(errors, [
      `::error::Input "payload-file" (prefect/many.yml) cannot fill \${{ github.event }} at k${first}: the ` +
        "file's placeholders would put more than 1500000 bytes into it, the most an event may hold: put less " +
        'of the workflow (a field of github.event, not all of it) into it.',
    ]);
    assert.equal(prefect.requests.length, 0);
  });

  test('a YAML alias bomb fails fast, naming the input; nothing is sent', async () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) {
      const previous = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lines.push(`${next}: &${next} [${Array(10).fill(`*${previous}`).join(',')}]`);
    }
    const started = Date.now();
    const run = await runAction({
      inputs: { event: 'acme.bomb', payload: lines.join('\n'), 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 1);
    assert.match(run.stdout, /::error::Input "payload" is not valid YAML: .*alias/i);
    assert.ok(Date.now() - started < 10_000);
    assert.equal(prefect.requests.length, 0);
  });

  test('a YAML alias inside its own anchor is refused in every input that takes YAML, by name and line', async () => {
    const cycle =
      'The alias *x is inside the value anchored as &x, which would then hold itself without end: ' +
      'an alias can only repeat a value that ends before the alias';
    const item = '- event: acme.a\n- &x {event: acme.b, payload: {self: *x}}';
    const cases: [Record<string, string>, string][] = [
      [
        { event: 'acme.a', payload: 'a: &x [*x]' },
        'Input "payload" is not valid YAML: %s at line 1, column 8.',
      ],
      [
        { event: 'acme.a', 'payload-file': 'self.yml' },
        'Input "payload-file" (self.yml) is not valid YAML: %s at line 2, column 8.',
      ],
      [
        { event: 'acme.a', resource: '&x {prefect.resource.id: acme.r, acme.self: *x}' },
        'Input "resource" is not valid YAML: %s at line 1, column 45.',
      ],
      [
        { event: 'acme.a', related: '- &x {prefect.resource.id: acme.r, prefect.resource.role: r, s: [*x]}' },
        'Input "related" is not valid YAML: %s at line 1, column 66.',
      ],
      [{ events: item }, 'Input "events" is not valid YAML: %s at line 2, column 38.'],
      [
        { 'events-file': 'self-events.yml' },
        'Input "events-file" (self-events.yml) is not valid YAML: %s at line 2, column 38.',
      ],
    ];
    for (const [inputs, expected] of cases) {
      const run = await runAction({
        files: { 'self.yml': 'a: 1\nb: &x [*x]', 'self-events.yml': item },
        inputs: { ...inputs, 'api-url': prefect.apiUrl },
      });
      assert.equal(run.exitCode, 1, run.stdout);
      const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'));
      assert.deepEqual(errors, [`::error::${expected.replace('%s', cycle)}`]);
    }
    assert.equal(prefect.requests.length, 0);
  });
});
