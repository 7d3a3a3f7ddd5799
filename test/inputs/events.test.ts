// `events` and `events-file` through readSettings, as a step gives them: the specs in order, where each
// part came from, and the exact sentence a user reads for each mistake.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildEvent, buildEvents, type EventContext } from '../../src/event/build.ts';
import type { EventSpec } from '../../src/event/spec.ts';
import { MAX_EVENTS_PER_STEP, MAX_YAML_EVENTS_BYTES, specsFromItems } from '../../src/inputs/events.ts';
import { yamlTooLarge } from '../../src/inputs/values.ts';
import { readSettings } from '../../src/inputs/settings.ts';
import { loadYamlParser } from '../../src/parse/yaml.ts';
import { inputDefaults } from '../../tools/action-yml.ts';

// As the main step does when some text is not JSON.
before(async () => {
  await loadYamlParser();
});

const workspace = mkdtempSync(join(tmpdir(), 'emit-prefect-event-events-'));
after(() => rmSync(workspace, { recursive: true, force: true }));
const ENV = { GITHUB_WORKSPACE: workspace };

/** readSettings with action.yml's defaults (payload '{}' among them) and these inputs. */
function specs(inputs: Record<string, string>): EventSpec[] {
  const given = { ...inputDefaults(), ...inputs };
  return readSettings((name) => given[name] ?? '', ENV).specs;
}

function rejects(inputs: Record<string, string>, message: string): void {
  assert.throws(() => specs(inputs), { name: 'InputError', message });
}

function file(name: string, content: string): string {
  writeFileSync(join(workspace, name), content);
  return name;
}

const lines = (...items: unknown[]) => items.map((item) => JSON.stringify(item)).join('\n');
const ID_A = '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f';
const ID_B = '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e60';
const ID_OUTSIDE = '0192f7a1-0000-7000-8000-000000000001';
const MODEL = (name: string) => ({ 'prefect.resource.id': `dbt.model.${name}` });
const DATASET = { 'prefect.resource.id': 'acme.dataset.customers', 'prefect.resource.role': 'dataset' };

describe('events: a JSON array', () => {
  test('every item, in order, in the forms of the single-event inputs', () => {
    const items = [
      { event: 'acme.dbt.model.rebuilt', resource: 'dbt.model.orders', payload: { rows: 12 } },
      {
        event: 'acme.dbt.model.rebuilt',
        resource: { 'prefect.resource.id': 'dbt.model.customers', 'dbt.schema': 'analytics', 'dbt.rows': 7 },
        related: [DATASET],
        occurred: '2026-01-31T12:00:00',
        id: ID_A.toUpperCase(),
        follows: ID_OUTSIDE,
      },
      { event: 'acme.dbt.run.finished', follows: { id: ID_OUTSIDE, occurred: '2026-01-31T11:59:00Z' } },
    ];
    const [first, second, third] = specs({ events: JSON.stringify(items) }) as [
      EventSpec,
      EventSpec,
      EventSpec,
    ];
    assert.deepEqual(
      { ...first, origin: undefined },
      {
        event: 'acme.dbt.model.rebuilt',
        resource: MODEL('orders'),
        related: [],
        payload: { rows: 12 },
        origin: undefined,
      },
    );
    assert.deepEqual(
      { ...second, origin: undefined },
      {
        event: 'acme.dbt.model.rebuilt',
        resource: {
          'prefect.resource.id': 'dbt.model.customers',
          'dbt.schema': 'analytics',
          'dbt.rows': '7',
        },
        related: [DATASET],
        payload: {},
        occurred: new Date('2026-01-31T12:00:00Z'),
        id: ID_A,
        follows: { id: ID_OUTSIDE },
        origin: undefined,
      },
    );
    assert.equal('resource' in third, false); // the workflow run, as for a single event
    assert.deepEqual(third.follows, { id: ID_OUTSIDE, occurred: new Date('2026-01-31T11:59:00Z') });
    // Through JSON: an item's origin is worded on demand, and serialises as the plain record it stands for.
    assert.deepEqual(JSON.parse(JSON.stringify(second.origin)), {
      event: 'Input "events[1].event"',
      resource: 'Input "events[1].resource"',
      related: 'Input "events[1].related"',
      payload: 'Input "events[1].payload"',
      occurred: 'Input "events[1].occurred"',
      id: 'Input "events[1].id"',
      follows: 'Input "events[1].follows"',
    });
  });

  test('null stands for a part left out', () => {
    const [spec] = specs({ events: '[{"event": "a.b", "resource": null, "payload": null, "id": null}]' });
    assert.deepEqual(
      { ...spec, origin: undefined },
      { event: 'a.b', related: [], payload: {}, origin: undefined },
    );
  });
});

describe('events: JSON Lines', () => {
  test('one object a line; blank lines and \\r\\n skipped; items counted without them, lines named', () => {
    const text = `\n${JSON.stringify({ event: 'a.one' })}\r\n   \r\n${JSON.stringify({ event: 'a.two', resource: 'x' })}\n\n`;
    const result = specs({ events: text });
    assert.deepEqual(
      result.map((spec) => spec.event),
      ['a.one', 'a.two'],
    );
    assert.equal(result[1]?.origin.resource, 'Input "events[1].resource" (line 4)');
  });

  test('events-file: the file and its line name the item', () => {
    const path = file('events.jsonl', lines({ event: 'a.one' }, { event: 'a.two' }));
    const result = specs({ 'events-file': path });
    assert.equal(result.length, 2);
    assert.equal(result[1]?.origin.payload, 'Input "events-file[1].payload" (events.jsonl line 2)');
  });

  test('events-file with a JSON array: the file names the item', () => {
    const path = file('events.json', JSON.stringify([{ event: 'a.one' }, { event: 'a.two' }], null, 2));
    assert.equal(specs({ 'events-file': path })[1]?.origin.id, 'Input "events-file[1].id" (events.json)');
  });

  test("a parser that knows each item's line (a YAML list) gets the same names", () => {
    const result = specsFromItems(
      [
        { value: { event: 'a.one' }, line: 1 },
        { value: { event: 'a.two', resource: 'x' }, line: 4 },
      ],
      { input: 'events-file', file: 'events.yml' },
      { related: [] },
    );
    assert.equal(result[1]?.origin.resource, 'Input "events-file[1].resource" (events.yml line 4)');
  });
});

describe('events: each mistake in one sentence naming the item, its line and field', () => {
  const bad: [string, Record<string, string>, string][] = [
    [
      'an unknown key',
      { events: '[{"event": "a.b"}, {"event": "a.b", "resourse": "x"}]' },
      'Input "events[1]" has an unknown key "resourse": an item takes "event", "resource", "related", ' +
        '"payload", "occurred", "id", "follows".',
    ],
    [
      'no event',
      { events: '{"event": "a.b"}\n\n{"payload": {}}' },
      'Input "events[1]" (line 3) has no "event": every item needs an event name, e.g. {"event": "acme.model.deployed"}.',
    ],
    [
      'an item that is not an object',
      { events: '[{"event": "a.b"}, "a.c"]' },
      'Input "events[1]" must be an object with at least an "event" name, not a string.',
    ],
    [
      'an event name that is not a string',
      { events: '[{"event": 7}]' },
      'Input "events[0].event" must be the event name as a string, not a number.',
    ],
    [
      'an event name that is not a string, on a line of JSON Lines',
      { events: '{"event": "a.b"}\n{"event": 7}' },
      'Input "events[1].event" (line 2) must be the event name as a string, not a number.',
    ],
    [
      'an id that is not a string, in a YAML list',
      { events: '- event: a.b\n  id: 7' },
      'Input "events[0].id" (line 1) must be a UUID as a string, not a number.',
    ],
    [
      'an event name with a new line',
      { events: '[{"event": "a\\nb"}]' },
      'Input "events[0].event" must not hold control characters such as a new line.',
    ],
    [
      'a resource without an id',
      { events: '[{"event": "a.b"}, {"event": "a.b", "resource": {"prefect.resource.name": "x"}}]' },
      'Input "events[1].resource" has no non-empty "prefect.resource.id" label: give a bare id such as ' +
        '"acme.model.churn", a line "prefect.resource.id=acme.model.churn", or a JSON or YAML object with that label.',
    ],
    [
      'a resource id with spaces',
      { events: '{"event": "a.b", "resource": "dbt model"}' },
      'Input "events[0].resource" (line 1) must be an object of labels or a bare resource id without spaces.',
    ],
    [
      'too many labels on a resource (a server rule)',
      {
        events: JSON.stringify([
          { event: 'a.b' },
          {
            event: 'a.b',
            resource: Object.fromEntries(
              Array.from({ length: 501 }, (_, i) => [i === 0 ? 'prefect.resource.id' : `l${i}`, 'x']),
            ),
          },
        ]),
      },
      'Input "events[1].resource" is invalid: it has more than 500 labels, Prefect\'s limit for one resource.',
    ],
    [
      'a related resource without a role, in a file',
      {
        'events-file': file(
          'bad-related.jsonl',
          lines({ event: 'a.b' }, { event: 'a.b', related: [{ 'prefect.resource.id': 'x' }] }),
        ),
      },
      'Input "events-file[1].related" (bad-related.jsonl line 2) is invalid at [0]: it needs a non-empty ' +
        '"prefect.resource.role" label.',
    ],
    [
      'a payload that is not an object',
      { events: '[{"event": "a.b", "payload": [1]}]' },
      'Input "events[0].payload" must be a JSON or YAML object, not an array.',
    ],
    [
      'an occurred that is no date',
      { events: '[{"event": "a.b", "occurred": "2026-02-30T00:00:00Z"}]' },
      'Input "events[0].occurred" is not a real date and time: "2026-02-30T00:00:00Z".',
    ],
    [
      'an occurred that is a number',
      { events: '[{"event": "a.b", "occurred": 1769860800}]' },
      'Input "events[0].occurred" must be an ISO 8601 timestamp as a string, not a number.',
    ],
    [
      'an occurred that is an object',
      { events: '[{"event": "a.b", "occurred": {"at": "2026-01-31"}}]' },
      'Input "events[0].occurred" must be an ISO 8601 timestamp as a string, not an object.',
    ],
    [
      'an id that is no UUID',
      { events: '[{"event": "a.b", "id": "run-7"}]' },
      'Input "events[0].id" must be a UUID such as 0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f, not "run-7".',
    ],
    [
      'a follows that is no UUID',
      { events: '[{"event": "a.b", "follows": "first"}]' },
      'Input "events[0].follows" must be a UUID such as 0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f, not "first".',
    ],
    [
      'a follows that is a list',
      { events: '[{"event": "a.b", "follows": []}]' },
      'Input "events[0].follows" must be an event id (an earlier item\'s "id") or an earlier step\'s "event" ' +
        'output, not an array.',
    ],
    [
      'a line that is not JSON',
      { events: '{"event": "a.b"}\n{"event": "a.b",}' },
      'Input "events[1]" (line 2) is not valid JSON: Expected double-quoted property name at column 17 ' +
        '(JSON Lines hold one whole JSON object a line).',
    ],
    [
      'an object over several lines, in a file',
      { 'events-file': file('pretty.jsonl', '{\n  "event": "a.b"\n}\n') },
      'Input "events-file[0]" (pretty.jsonl line 1) is not valid JSON: Expected property name or \'}\' at column 2 ' +
        '(JSON Lines hold one whole JSON object a line).',
    ],
    [
      'a placeholder outside quotes on a JSON line, in a file',
      { 'events-file': file('unquoted.jsonl', '{"event": "a.b", "payload": {"sha": ${{ github.sha }}}}\n') },
      'Input "events-file[0]" (unquoted.jsonl line 1) is not valid JSON: Unexpected token "$" at column 37 ' +
        '(JSON Lines hold one whole JSON object a line); the placeholder ${{ github.sha }} must be in quotes, ' +
        '"${{ github.sha }}" (alone in its string it takes the value\'s own type).',
    ],
    [
      'a placeholder outside quotes in a YAML flow map, in a file',
      { 'events-file': file('unquoted.yml', '- event: a.b\n  payload: {sha: ${{ github.sha }}}\n') },
      'Input "events-file" (unquoted.yml) is not valid YAML: Missed comma between flow collection entries at ' +
        'line 2, column 19; the placeholder ${{ github.sha }} must be in quotes, "${{ github.sha }}" (alone in ' +
        "its string it takes the value's own type).",
    ],
    [
      'a number JavaScript would round, on a line',
      { events: '{"event": "a.b", "payload": {"rows": 9007199254740993}}' },
      'Input "events[0]" (line 1) holds a number at payload.rows that JSON in JavaScript cannot carry exactly ' +
        '(9007199254740993): write it as a string.',
    ],
    [
      'a JSON array that is not JSON, in a file',
      { 'events-file': file('broken.json', '[\n  {"event": "a.b"},\n  {"event": "a.b",,}\n]') },
      'Input "events-file" (broken.json) is not valid JSON: Expected double-quoted property name at line 3, column 19.',
    ],
    [
      'neither an array nor JSON Lines',
      { events: 'acme.dbt.model.rebuilt' },
      'Input "events" must be a JSON array of event objects, JSON Lines (one JSON object a line), or a YAML list.',
    ],
    ['an empty array', { events: '[ ]' }, 'Input "events" holds no events: give at least one item.'],
    [
      'an empty array in a file whose name has a space',
      { 'events-file': file('no events.json', '[]') },
      'Input "events-file" ("no events.json") holds no events: give at least one item.',
    ],
    [
      'an empty file',
      { 'events-file': file('empty.jsonl', '\n\n') },
      'Input "events-file" (empty.jsonl) holds no events: give a JSON array of event objects, JSON Lines ' +
        '(one JSON object a line), or a YAML list.',
    ],
  ];
  for (const [name, inputs, message] of bad) test(name, () => rejects(inputs, message));
});

describe('ids and follows across items', () => {
  test("an item's follows may name an earlier item's id", () => {
    const result = specs({
      events: lines(
        { event: 'a.one', id: ID_A, occurred: '2026-01-31T12:00:00Z' },
        { event: 'a.two', follows: ID_A.toUpperCase() },
      ),
    });
    assert.deepEqual(result[1]?.follows, { id: ID_A });
  });

  test('the 5-minute rule of Prefect then applies between the two items, as built', () => {
    const context: EventContext = {
      workflowRun: { 'prefect.resource.id': 'github.workflow-run.1' },
      related: [],
      relateWorkflowRun: false,
      now: new Date('2026-01-31T13:00:00Z'),
    };
    const built = buildEvents(
      specs({
        events: lines(
          { event: 'a.one', id: ID_A, occurred: '2026-01-31T12:00:00Z' },
          { event: 'a.two', follows: ID_A, occurred: '2026-01-31T12:04:59Z' },
          { event: 'a.three', follows: ID_A, occurred: '2026-01-31T12:07:00Z' },
          // No occurred: now, an hour after the earlier item.
          { event: 'a.four', follows: ID_A },
          // Its earlier item has no occurred either (now): a year before, too far.
          { event: 'a.five', id: ID_B },
          { event: 'a.six', follows: ID_B, occurred: '2025-01-31T13:00:00Z' },
        ),
      }),
      context,
    );
    assert.deepEqual(
      built.map(({ event }) => event.follows),
      [null, ID_A, null, null, null, null],
    );
    assert.match(built[2]?.notice ?? '', /occurred 7 minutes apart/);
    assert.match(built[5]?.notice ?? '', /occurred 365 days apart/);
  });

  test("new ids sort in the batch's order, even made in the same millisecond", () => {
    const many = Array.from({ length: 5000 }, (_, n) => ({ event: `a.n${n}` }));
    const built = buildEvents(specs({ events: JSON.stringify(many) }), {
      related: [],
      relateWorkflowRun: false,
      now: new Date('2026-01-31T13:00:00Z'),
      workflowRun: { 'prefect.resource.id': 'github.workflow-run.1' },
    });
    const ids = built.map(({ event }) => event.id);
    assert.deepEqual([...ids].sort(), ids);
  });

  test('a follows naming a later item, or the item itself, is refused', () => {
    rejects(
      { events: lines({ event: 'a.one', follows: ID_B }, { event: 'a.two', id: ID_B }) },
      'Input "events[0].follows" (line 1) names the id of events[1], a later item: an item can follow only an earlier one.',
    );
    rejects(
      { events: JSON.stringify([{ event: 'a.one', id: ID_A, follows: ID_A }]) },
      'Input "events[0].follows" names the item\'s own id: an item can follow only an earlier one.',
    );
  });

  test('the same id on two items is refused, whatever its case', () => {
    rejects(
      {
        events: JSON.stringify([
          { event: 'a.one', id: ID_A },
          { event: 'a.two' },
          { event: 'a.three', id: ID_A.toUpperCase() },
        ]),
      },
      'Input "events[2].id" repeats the id of events[0]: give each item its own id (Prefect keeps only the ' +
        'first event with an id).',
    );
  });
});

describe('the step-wide inputs beside events', () => {
  test('resource is the default of items without one; related is added to every item, first', () => {
    const own = { 'prefect.resource.id': 'acme.table.orders', 'prefect.resource.role': 'table' };
    const [withOwn, withDefault] = specs({
      events: JSON.stringify([
        { event: 'a.one', resource: 'dbt.model.orders', related: [own] },
        { event: 'a.two' },
      ]),
      resource: 'dbt.project.acme',
      related: JSON.stringify([DATASET]),
    }) as [EventSpec, EventSpec];
    assert.deepEqual(withOwn.resource, MODEL('orders'));
    assert.deepEqual(withOwn.related, [DATASET, own]);
    assert.equal(withOwn.origin.resource, 'Input "events[0].resource"');
    assert.deepEqual(withDefault.resource, { 'prefect.resource.id': 'dbt.project.acme' });
    assert.deepEqual(withDefault.related, [DATASET]);
    assert.equal(withDefault.origin.resource, 'Input "resource"');
    assert.equal(withDefault.origin.related, 'Input "related"');
  });

  test('an item breaking a server rule the event builder checks is named by the item', () => {
    const related = Array.from({ length: 97 }, (_, i) => ({
      'prefect.resource.id': `r${i}`,
      'prefect.resource.role': 'r',
    }));
    const [, crowded] = specs({
      events: JSON.stringify([{ event: 'a.one' }, { event: 'a.two', resource: 'x', related }]),
    }) as [EventSpec, EventSpec];
    const context: EventContext = {
      workflowRun: { 'prefect.resource.id': 'github.workflow-run.1' },
      related: Array.from({ length: 3 }, (_, i) => ({
        'prefect.resource.id': `g${i}`,
        'prefect.resource.role': 'g',
      })),
      relateWorkflowRun: true,
      now: new Date('2026-01-31T12:00:00Z'),
    };
    assert.throws(() => buildEvent(crowded, context), {
      name: 'EventError',
      message:
        'Input "events[1].related" gives 97 related resources; with the 4 from the workflow context that is more ' +
        "than Prefect's limit of 100 (github-context: false leaves those out).",
    });
  });

  test('payload, payload-file, occurred, id and follows are refused with events and events-file', () => {
    const events = '[{"event": "a.b"}]';
    for (const [name, value, field] of [
      ['payload', '{"rows": 1}', 'payload'],
      ['payload-file', 'payload.json', 'payload'],
      ['occurred', '2026-01-31T12:00:00Z', 'occurred'],
      ['id', ID_A, 'id'],
      ['follows', ID_A, 'follows'],
    ] as const) {
      rejects(
        { events, [name]: value },
        `Input "${name}" cannot be used together with "events": give each item its own "${field}".`,
      );
    }
    rejects(
      { 'events-file': 'events.jsonl', occurred: '2026-01-31' },
      'Input "occurred" cannot be used together with "events-file": give each item its own "occurred".',
    );
    // action.yml's default payload is no payload.
    assert.equal(specs({ events, payload: ' { } ' }).length, 1);
  });
});

describe('exactly one of event, events and events-file', () => {
  test('two of them are refused', () => {
    const exactlyOne = 'give exactly one of "event", "events" and "events-file".';
    rejects(
      { event: 'a.b', events: '[{"event": "a.b"}]' },
      `Input "events" cannot be used together with "event": ${exactlyOne}`,
    );
    rejects(
      { event: 'a.b', 'events-file': 'events.jsonl' },
      `Input "events-file" cannot be used together with "event": ${exactlyOne}`,
    );
    rejects(
      { events: '[{"event": "a.b"}]', 'events-file': 'events.jsonl' },
      `Input "events-file" cannot be used together with "events": ${exactlyOne}`,
    );
  });

  test('none of them: the error names all three', () => {
    rejects(
      {},
      'Input "event" is required (or "events" or "events-file" for several events): name the event, e.g. "acme.model.deployed".',
    );
  });
});

describe('a YAML list, and events files filled from the workflow', () => {
  test('events as a YAML list: every item in order', () => {
    const result = specs({
      events:
        '- event: acme.dbt.model.rebuilt\n  resource: dbt.model.orders\n  payload:\n    rows: 12\n- event: acme.dbt.run.finished',
    });
    assert.deepEqual(
      result.map((spec) => [spec.event, spec.resource, spec.payload]),
      [
        ['acme.dbt.model.rebuilt', MODEL('orders'), { rows: 12 }],
        ['acme.dbt.run.finished', undefined, {}],
      ],
    );
  });

  test("a bad item of a YAML list in events names the item's line", () => {
    rejects(
      { events: '- event: acme.one\n\n# the second model\n- event: acme.two\n  resource: dbt model\n' },
      'Input "events[1].resource" (line 4) must be an object of labels or a bare resource id without spaces.',
    );
  });

  test("a bad item of a YAML list in events-file names the file and the item's line", () => {
    const name = file(
      'models.yml',
      '# models rebuilt\n- event: acme.one\n  resource: dbt.model.orders\n-\n  event: acme.two\n  resource: {prefect.resource.name: x}\n',
    );
    rejects(
      { 'events-file': name },
      'Input "events-file[1].resource" (models.yml line 5) has no non-empty "prefect.resource.id" label: give a ' +
        'bare id such as "acme.model.churn", a line "prefect.resource.id=acme.model.churn", or a JSON or YAML ' +
        'object with that label.',
    );
  });

  test('an item of a YAML list that is not an object names its line, even when it is empty', () => {
    rejects(
      { events: '- event: acme.one\n-\n' },
      'Input "events[1]" (line 2) must be an object with at least an "event" name, not null.',
    );
  });

  test('a YAML list filled from the workflow: a placeholder that cannot be filled names the line', () => {
    const name = file(
      'filled.yml',
      '- event: acme.one\n- event: acme.two\n  payload:\n    who: ${{ env.NOBODY }}\n',
    );
    assert.throws(() => specs({ 'events-file': name }), {
      name: 'InputError',
      message:
        /^Input "events-file\[1\]" \(filled\.yml line 2\) cannot fill \$\{\{ env\.NOBODY \}\} at payload\.who: /,
    });
  });

  test('YAML that is not valid names the input and the line', () => {
    rejects(
      { events: '- event: acme.one\n- event: acme.two\n  event: acme.three\n' },
      'Input "events" is not valid YAML: The key "event" appears twice in the same map: give each key once at line 3, column 3.',
    );
  });

  test('a YAML map instead of a list is refused', () => {
    rejects(
      { events: 'event: acme.dbt.model.rebuilt' },
      'Input "events" must be a JSON array of event objects, JSON Lines (one JSON object a line), or a YAML list.',
    );
  });

  test("an events-file's placeholders are filled after parsing, item by item; the events input's are not", () => {
    const env = { ...ENV, GITHUB_SHA: 'abc123', TITLE: 'a "quoted"\nline' };
    const read = (inputs: Record<string, string>) =>
      readSettings((name) => ({ ...inputDefaults(), ...inputs })[name] ?? '', env).specs;
    const name = file(
      'models.yml',
      '- event: acme.built\n  payload:\n    sha: ${{ github.sha }}\n    title: ${{ env.TITLE }}',
    );
    assert.deepEqual(read({ 'events-file': name })[0]?.payload, { sha: 'abc123', title: 'a "quoted"\nline' });
    assert.deepEqual(
      read({ events: '[{"event": "acme.built", "payload": {"sha": "${{ github.sha }}"}}]' })[0]?.payload,
      {
        sha: '${{ github.sha }}',
      },
    );
  });

  test('a placeholder that cannot be filled names the item and the line', () => {
    const name = file(
      'missing.jsonl',
      '{"event": "a.one"}\n\n{"event": "a.two", "payload": {"who": "${{ env.NOBODY }}"}}',
    );
    assert.throws(() => specs({ 'events-file': name }), {
      name: 'InputError',
      message:
        /^Input "events-file\[1\]" \(missing\.jsonl line 3\) cannot fill \$\{\{ env\.NOBODY \}\} at payload\.who: /,
    });
  });
});

describe('what filling an events file may grow to', () => {
  const read = (name: string, payload: Record<string, unknown>) =>
    readSettings((input) => ({ ...inputDefaults(), 'events-file': name })[input] ?? '', ENV, payload);
  const ADVICE = 'put less of the workflow (a field of github.event, not all of it)';

  test('items that each hold the whole webhook payload stop at the first placeholder past what a file may hold', () => {
    const payload = { commits: [{ message: 'x'.repeat(200_000) }] };
    const name = file(
      'bomb.jsonl',
      Array(400).fill('{"event": "a.b", "payload": {"e": "${{ github.event }}"}}').join('\n'),
    );
    const first = Math.floor((64 * 1024 * 1024) / JSON.stringify(payload).length); // 0-based: the first past
    assert.throws(() => read(name, payload), {
      name: 'InputError',
      message:
        `Input "events-file[${first}]" (bomb.jsonl line ${first + 1}) cannot fill \${{ github.event }} at payload.e: ` +
        "the file's placeholders would put more than 67108864 bytes into its items, the most an events file " +
        `may hold once filled: ${ADVICE} into each item.`,
    });
  });

  test('one item stops at the first placeholder past what an event may hold, before the item is filled', () => {
    // 6,000 lines of one YAML item, each the whole 100 kB payload: 1.27 GB before this bound.
    const payload = { pull_request: { body: 'b'.repeat(100_000) } };
    const lines = Array.from({ length: 6000 }, (_, i) => `    k${i}: \${{ github.event }}`);
    const name = file('item.yml', ['- event: a.b', '  payload:', ...lines].join('\n'));
    const first = Math.floor(1_500_000 / JSON.stringify(payload).length);
    assert.throws(() => read(name, payload), {
      name: 'InputError',
      message:
        `Input "events-file[0]" (item.yml line 1) cannot fill \${{ github.event }} at payload.k${first}: ` +
        "the item's placeholders would put more than 1500000 bytes into it, the most an event may hold: " +
        `${ADVICE} into it.`,
    });
  });
});

describe('how much YAML an events file may hold', () => {
  // js-yaml holds an event of about 120 bytes a node: a 63 MiB list crashed a runner's 1.8 GB heap.
  const LIMIT = MAX_YAML_EVENTS_BYTES;
  const ADVICE =
    '(it takes far more memory to read than JSON): write a batch this large as JSON Lines (one JSON object ' +
    'a line) or a JSON array.';

  test('a YAML list over the limit is refused before it is parsed, naming the file and its size', () => {
    const text = '- :\n'.repeat(LIMIT / 4) + '- x';
    const name = file('big.yml', text);
    rejects(
      { 'events-file': name },
      `Input "events-file" (big.yml) holds ${LIMIT + 3} bytes of YAML, more than the ${LIMIT} that are read as YAML ${ADVICE}`,
    );
  });

  test('text that starts as JSON and is not, over the limit, gets its JSON error and is not read as YAML', () => {
    const name = file('flow.yml', `[${'? , '.repeat(LIMIT / 4)}? ]`);
    rejects(
      { 'events-file': name },
      'Input "events-file" (flow.yml) is not valid JSON: Unexpected token "?" at line 1, column 2 (text over ' +
        `${LIMIT} bytes is read as JSON only).`,
    );
  });

  test('the limit counts bytes, not characters', () => {
    const fits = 'é'.repeat(9); // 18 bytes
    assert.equal(yamlTooLarge('events', fits, 18), undefined);
    assert.equal(
      yamlTooLarge('events', fits, 17)?.message,
      `Input "events" holds 18 bytes of YAML, more than the 17 that are read as YAML ${ADVICE}`,
    );
  });
});

describe('how many events a step may send', () => {
  test(`${MAX_EVENTS_PER_STEP} items are read; the next is refused by its index and line, read no further`, () => {
    // 64 MiB of the shortest items (4.6 million events) exhausted a standard runner's 1.8 GB heap.
    const lines = '{"event": "a.b"}\n'.repeat(MAX_EVENTS_PER_STEP);
    assert.equal(specs({ 'events-file': file('many.jsonl', lines) }).length, MAX_EVENTS_PER_STEP);
    rejects(
      { 'events-file': file('more.jsonl', `${lines}{"event": "a.b"}\nnot even JSON`) },
      `Input "events-file[${MAX_EVENTS_PER_STEP}]" (more.jsonl line ${MAX_EVENTS_PER_STEP + 1}) is one event ` +
        `more than the ${MAX_EVENTS_PER_STEP} a step may send: split the events over several steps.`,
    );
  });
});
