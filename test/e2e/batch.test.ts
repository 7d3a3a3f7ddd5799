// End to end, several events in one step: the built dist/index.js run as the runner runs a step, against
// the Prefect stub. One request holds the whole batch, in order; a bad item anywhere means no request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { serverProblems } from '../support/prefect-schema.ts';
import { PUSH_CONTEXT_RELATED } from '../support/push-context.ts';
import { runAction } from '../../tools/runner.ts';

const PROJECT = { 'prefect.resource.id': 'dbt.project.acme', 'prefect.resource.role': 'dbt-project' };
const ID_ORDERS = '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f';
const ID_CUSTOMERS = '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e60';

type Event = Record<string, unknown>;

describe('dist/index.js with several events in one step', () => {
  let prefect: PrefectStub;
  before(async () => (prefect = await startPrefectStub()));
  after(() => prefect.close());

  test('events: three items reach Prefect as one request, in order, and every id is an output', async () => {
    prefect.reset();
    const items = [
      {
        event: 'acme.dbt.model.rebuilt',
        resource: { 'prefect.resource.id': 'dbt.model.orders', 'dbt.rows': 1200 },
        payload: { seconds: 4.5 },
        occurred: '2026-01-31T12:00:00Z',
        id: ID_ORDERS,
      },
      {
        event: 'acme.dbt.model.rebuilt',
        resource: 'dbt.model.customers',
        occurred: '2026-01-31T12:01:00Z',
        id: ID_CUSTOMERS,
        follows: ID_ORDERS,
      },
      { event: 'acme.dbt.run.finished', payload: { models: 2 } },
    ];
    const run = await runAction({
      inputs: {
        events: JSON.stringify(items, null, 2),
        resource: 'dbt.run.acme',
        related: JSON.stringify([PROJECT]),
        'api-url': prefect.apiUrl,
        'api-key': 'pnu_secretkey123456',
      },
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(prefect.requests.length, 1);
    const body = prefect.requests[0]?.body ?? '';
    assert.deepEqual(serverProblems(body), []);
    const sent = JSON.parse(body) as Event[];
    const last = sent[2] as Event;
    assert.deepEqual(sent, [
      {
        occurred: '2026-01-31T12:00:00.000Z',
        event: 'acme.dbt.model.rebuilt',
        resource: { 'prefect.resource.id': 'dbt.model.orders', 'dbt.rows': '1200' },
        related: [...PUSH_CONTEXT_RELATED, PROJECT],
        payload: { seconds: 4.5 },
        id: ID_ORDERS,
        follows: null,
      },
      {
        occurred: '2026-01-31T12:01:00.000Z',
        event: 'acme.dbt.model.rebuilt',
        resource: { 'prefect.resource.id': 'dbt.model.customers' },
        related: [...PUSH_CONTEXT_RELATED, PROJECT],
        payload: {},
        id: ID_CUSTOMERS,
        follows: ID_ORDERS,
      },
      {
        occurred: last.occurred,
        event: 'acme.dbt.run.finished',
        resource: { 'prefect.resource.id': 'dbt.run.acme' },
        related: [...PUSH_CONTEXT_RELATED, PROJECT],
        payload: { models: 2 },
        id: last.id,
        follows: null,
      },
    ]);
    assert.match(String(last.id), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(JSON.parse(run.outputs['event-ids'] ?? ''), [ID_ORDERS, ID_CUSTOMERS, last.id]);
    assert.equal(run.outputs['event-id'], last.id);
    assert.equal(run.outputs.occurred, last.occurred);
    assert.deepEqual(JSON.parse(run.outputs.event ?? ''), last);
    assert.equal(run.outputs.emitted, 'true');
    assert.match(run.stdout, /Emitted 3 events to http:\/\/127\.0\.0\.1:\d+\/api/);
    assert.ok(
      run.summary.includes(
        [
          '### Prefect events: 3',
          '',
          '✅ emitted',
          '',
          '| Event | Resource | Id | Occurred |',
          '| --- | --- | --- | --- |',
          `| acme.dbt.model.rebuilt | dbt.model.orders | ${ID_ORDERS} | 2026-01-31T12:00:00.000Z |`,
          `| acme.dbt.model.rebuilt | dbt.model.customers | ${ID_CUSTOMERS} | 2026-01-31T12:01:00.000Z |`,
          `| acme.dbt.run.finished | dbt.run.acme | ${String(last.id)} | ${String(last.occurred)} |`,
        ].join('\n'),
      ),
      run.summary,
    );
  });

  test('events-file in JSON Lines: one request, the items in file order', async () => {
    prefect.reset();
    const models = ['orders', 'customers', 'payments', 'refunds'];
    const jsonl = models
      .map((name) => JSON.stringify({ event: 'acme.dbt.model.rebuilt', resource: `dbt.model.${name}` }))
      .join('\n\n');
    const run = await runAction({
      files: { 'prefect-events.jsonl': `${jsonl}\n` },
      inputs: { 'events-file': 'prefect-events.jsonl', 'api-url': prefect.apiUrl, 'github-context': 'false' },
    });
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.equal(prefect.requests.length, 1);
    const body = prefect.requests[0]?.body ?? '';
    assert.deepEqual(serverProblems(body), []);
    const sent = JSON.parse(body) as Event[];
    assert.deepEqual(
      sent.map((event) => [event.event, event.resource, event.related, event.payload, event.follows]),
      models.map((name) => [
        'acme.dbt.model.rebuilt',
        { 'prefect.resource.id': `dbt.model.${name}` },
        [],
        {},
        null,
      ]),
    );
    assert.deepEqual(
      JSON.parse(run.outputs['event-ids'] ?? ''),
      sent.map((event) => event.id),
    );
  });

  test('a single event has event-ids too: an array of its one id', async () => {
    prefect.reset();
    const run = await runAction({ inputs: { event: 'a.b', resource: 'x', 'api-url': prefect.apiUrl } });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.deepEqual(JSON.parse(run.outputs['event-ids'] ?? ''), [run.outputs['event-id']]);
  });

  for (const [name, inputs, files, message] of [
    [
      'a bad last item',
      { events: '[{"event": "a.b"}, {"event": "a.b"}, {"event": "a.b", "occurred": "yesterday"}]' },
      {},
      'Input "events[2].occurred" must be an ISO 8601 timestamp such as 2026-01-31T12:00:00Z, not "yesterday".',
    ],
    [
      'an unknown key in the first line of a file',
      { 'events-file': 'events.jsonl' },
      { 'events.jsonl': '{"event": "a.b", "paylod": {}}\n{"event": "a.b"}\n' },
      'Input "events-file[0]" (events.jsonl line 1) has an unknown key "paylod": an item takes "event", ' +
        '"resource", "related", "payload", "occurred", "id", "follows".',
    ],
    [
      'an item that breaks a server rule only with the workflow context',
      {
        events: JSON.stringify([
          { event: 'a.b' },
          {
            event: 'a.b',
            resource: 'x',
            related: Array.from({ length: 97 }, (_, i) => ({
              'prefect.resource.id': `r${i}`,
              'prefect.resource.role': 'r',
            })),
          },
        ]),
      },
      {},
      'Input "events[1].related" gives 97 related resources; with the 4 from the workflow context that is more ' +
        "than Prefect's limit of 100 (github-context: false leaves those out).",
    ],
    [
      'a lone UTF-16 surrogate in a YAML item, as a YAML escape',
      { 'events-file': 'events.yaml' },
      { 'events.yaml': '- event: a.b\n- event: a.b\n  payload: {note: "cut \\ud83d"}\n' },
      'Input "events-file[1].payload" (events.yaml line 2) makes an event Prefect would not take at ' +
        'payload.note: it holds a lone UTF-16 surrogate (\\ud83d), half of a character such as an emoji cut in ' +
        'two, which Prefect answers with 500 Internal Server Error every time: the whole request would be lost.',
    ],
    [
      'a payload input beside events',
      { events: '[{"event": "a.b"}]', payload: '{"rows": 1}' },
      {},
      'Input "payload" cannot be used together with "events": give each item its own "payload".',
    ],
  ] as const) {
    test(`${name}: the step fails naming it, and nothing at all is sent`, async () => {
      prefect.reset();
      const run = await runAction({ files, inputs: { resource: 'x', 'api-url': prefect.apiUrl, ...inputs } });
      assert.equal(run.exitCode, 1);
      assert.equal(prefect.requests.length, 0);
      assert.ok(run.stdout.includes(`::error::${message}\n`), run.stdout);
      assert.equal(run.outputs['event-ids'], undefined);
    });
  }
});
