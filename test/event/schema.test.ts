// Every rule Prefect's server applies to an event, and what it cannot store (NUL, deep nesting).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  findRuleBreak,
  MAX_EVENT_BYTES,
  SERVER_ADDED_BYTES,
  type Labels,
  type PrefectEvent,
} from '../../src/event/schema.ts';
import { serverProblems } from '../support/prefect-schema.ts';
import { sampleEvent } from '../support/sample-event.ts';

const EARLIER_ID = '0190b7c7-0000-7000-8000-000000000001';

/** The broken rule as `where: problem`, or undefined when the server would store the event. */
function broken(candidate: PrefectEvent): string | undefined {
  const found = findRuleBreak(candidate);
  return found && `${found.where}: ${found.problem}`;
}

function rejected(changes: Partial<PrefectEvent>, message: string): void {
  assert.equal(broken(sampleEvent(changes)), message);
}

function accepted(candidate: PrefectEvent): void {
  assert.equal(broken(candidate), undefined);
}

function labels(count: number, role?: string): Labels {
  const result: Labels = { 'prefect.resource.id': 'acme.model.churn' };
  if (role) result['prefect.resource.role'] = role;
  for (let i = Object.keys(result).length; i < count; i++) result[`acme.label-${i}`] = 'x';
  return result;
}

describe('findRuleBreak: the server rules', () => {
  test('a valid event passes unchanged, and the server schema agrees', () => {
    const valid = sampleEvent({
      related: [{ 'prefect.resource.id': 'github.user.octocat', 'prefect.resource.role': 'actor' }],
      payload: { version: '1.4.0' },
      follows: EARLIER_ID,
    });
    accepted(valid);
    assert.deepEqual(serverProblems(JSON.stringify([valid])), []);
  });

  test('the name: not empty, at most 1024 characters as Prefect counts them', () => {
    rejected({ event: '' }, 'event: must not be empty');
    rejected({ event: 'e'.repeat(1025) }, 'event: must be at most 1024 characters');
    rejected({ event: '🚀'.repeat(1025) }, 'event: must be at most 1024 characters');
    accepted(sampleEvent({ event: 'e'.repeat(1024) }));
    accepted(sampleEvent({ event: '🚀'.repeat(1024) })); // 1024 code points, 2048 UTF-16 units
  });

  test('the resource needs a non-empty prefect.resource.id', () => {
    const message = 'resource: needs a non-empty "prefect.resource.id" label';
    rejected({ resource: {} }, message);
    rejected({ resource: { 'prefect.resource.id': '' } }, message);
    rejected({ resource: { 'prefect.resource.name': 'Churn model' } }, message);
  });

  test('each related resource needs a non-empty id and role, named by its index', () => {
    const actor = { 'prefect.resource.id': 'github.user.octocat', 'prefect.resource.role': 'actor' };
    rejected(
      { related: [actor, { 'prefect.resource.id': 'acme.dataset.customers' }] },
      'related[1]: needs a non-empty "prefect.resource.role" label',
    );
    rejected(
      { related: [{ 'prefect.resource.id': 'acme.dataset.customers', 'prefect.resource.role': '' }] },
      'related[0]: needs a non-empty "prefect.resource.role" label',
    );
    rejected(
      { related: [actor, actor, { 'prefect.resource.role': 'dataset' }] },
      'related[2]: needs a non-empty "prefect.resource.id" label',
    );
  });

  test('at most 500 labels a resource', () => {
    accepted(sampleEvent({ resource: labels(500), related: [labels(500, 'model')] }));
    rejected(
      { resource: labels(501) },
      "resource: has more than 500 labels, Prefect's limit for one resource",
    );
    rejected(
      { related: [labels(501, 'model')] },
      "related[0]: has more than 500 labels, Prefect's limit for one resource",
    );
  });

  test('at most 100 related resources', () => {
    const related = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        'prefect.resource.id': `acme.item.${i}`,
        'prefect.resource.role': 'item',
      }));
    accepted(sampleEvent({ related: related(100) }));
    rejected({ related: related(101) }, "related: has more than 100 resources, Prefect's limit");
  });

  test('id and follows must be UUIDs', () => {
    rejected({ id: 'acme-1' }, 'id: must be a UUID');
    rejected({ id: '' }, 'id: must be a UUID');
    rejected({ follows: 'acme-0' }, 'follows: must be a UUID');
  });
});

describe('the size rule: Prefect silently drops events over 1,500,000 bytes of JSON', () => {
  // The server counts the UTF-8 bytes of the event's JSON and keeps SERVER_ADDED_BYTES of room for fields it adds.
  const LIMIT = MAX_EVENT_BYTES - SERVER_ADDED_BYTES;
  const tooBig = (bytes: number) =>
    `: is ${bytes} bytes as JSON, and Prefect silently drops events over 1500000 bytes ` +
    `(${SERVER_ADDED_BYTES} of them kept for fields the server adds): make the payload smaller`;

  /** An event whose JSON is exactly `bytes` long in UTF-8, its payload filled with `unit` characters. */
  function eventOfSize(bytes: number, unit: string): PrefectEvent {
    const empty = sampleEvent({ payload: { data: '' } });
    const room = bytes - Buffer.byteLength(JSON.stringify(empty), 'utf8');
    const unitBytes = Buffer.byteLength(JSON.stringify(unit), 'utf8') - 2; // in JSON, without the quotes
    const data = unit.repeat(Math.floor(room / unitBytes)) + 'a'.repeat(room % unitBytes);
    const sized = sampleEvent({ payload: { data } });
    assert.equal(Buffer.byteLength(JSON.stringify(sized), 'utf8'), bytes);
    return sized;
  }

  test('the limit is Prefect’s, and the margin covers what the server adds before it measures', () => {
    assert.equal(MAX_EVENT_BYTES, 1_500_000);
    // The server measures its ReceivedEvent: our event plus `received`, both timestamps in microseconds.
    const sent = sampleEvent({ follows: '0192f7a1-0000-7000-8000-000000000001' });
    const micro = (iso: string) => iso.replace(/\.(\d{3})Z$/, '.$1999Z');
    const stored = { ...sent, occurred: micro(sent.occurred), received: micro(new Date().toISOString()) };
    const added = Buffer.byteLength(JSON.stringify(stored)) - Buffer.byteLength(JSON.stringify(sent));
    assert.ok(added > 0 && added <= SERVER_ADDED_BYTES, `the server adds ${added} bytes`);
  });

  test('ASCII: an event of exactly the limit passes, one byte over fails', () => {
    accepted(eventOfSize(LIMIT - 1, 'a'));
    accepted(eventOfSize(LIMIT, 'a'));
    assert.equal(broken(eventOfSize(LIMIT + 1, 'a')), tooBig(LIMIT + 1));
  });

  test('multi-byte characters count in UTF-8 bytes, not characters', () => {
    const euros = eventOfSize(LIMIT + 1, '€'); // 3 bytes each: about 500,000 characters
    assert.ok(JSON.stringify(euros).length < LIMIT / 2);
    assert.equal(broken(euros), tooBig(LIMIT + 1));
    accepted(eventOfSize(LIMIT, '🚀')); // 4 bytes each
    assert.equal(broken(eventOfSize(LIMIT + 1, '🚀')), tooBig(LIMIT + 1));
  });

  test('characters JSON escapes count as their escapes', () => {
    // A newline is 2 bytes in JSON ("\n"); a payload of newlines near the limit must be measured escaped.
    const newlines = eventOfSize(LIMIT + 1, '\n');
    assert.equal(broken(newlines), tooBig(LIMIT + 1));
  });
});

describe('what PostgreSQL cannot store, and nesting no layer of the server reads', () => {
  const nul =
    'holds a NUL character (\\u0000), which Prefect on PostgreSQL cannot store (it would drop the event after ' +
    'accepting it): remove it';

  test('a NUL character anywhere is refused, naming where: name, label, payload value or key', () => {
    rejected({ event: 'a\0b' }, `event: ${nul}`);
    rejected(
      { resource: { 'prefect.resource.id': 'x', 'acme.note': 'a\0' } },
      `resource."acme.note": ${nul}`,
    );
    rejected({ payload: { rows: [1, { text: 'ok\0' }] } }, `payload.rows[1].text: ${nul}`);
    rejected({ payload: { 'bad\0key': 1 } }, `payload."bad\\u0000key": ${nul}`);
  });

  test('a lone UTF-16 surrogate anywhere is refused, naming where and which: name, label, payload value or key', () => {
    const lone = (code: string) =>
      `holds a lone UTF-16 surrogate (\\u${code}), half of a character such as an emoji cut in two, which ` +
      'Prefect answers with 500 Internal Server Error every time (the whole request would be lost): remove it or ' +
      'write the whole character';
    rejected({ event: 'acme.\ud83d' }, `event: ${lone('d83d')}`);
    rejected(
      { resource: { 'prefect.resource.id': 'x', 'acme.note': 'cut \ud83d' } },
      `resource."acme.note": ${lone('d83d')}`,
    );
    rejected(
      { related: [{ 'prefect.resource.id': 'x', 'prefect.resource.role': 'r', 'acme.\ude80': 'y' }] },
      `related[0]."acme.\\ude80": ${lone('de80')}`,
    );
    rejected({ payload: { rows: [1, { text: 'end \udfff' }] } }, `payload.rows[1].text: ${lone('dfff')}`);
    rejected({ payload: { 'bad\ud800key': 1 } }, `payload."bad\\ud800key": ${lone('d800')}`);
    // Surrogates in their pairs are characters like any other.
    accepted(sampleEvent({ event: 'acme.🚀', payload: { note: 'cut 🚀', '🚀': '\ud83d\ude80' } }));
  });

  test('what only looks unstorable passes: an escaped backslash before u0000, many brackets side by side', () => {
    accepted(sampleEvent({ payload: { text: 'C:\\u0000 is not a NUL' } }));
    accepted(sampleEvent({ payload: { rows: Array.from({ length: 300 }, () => ({ cells: [] })) } }));
  });

  test('a related resource shared by every event of a batch is checked for each event that adds it', () => {
    // The first event finds the shared resource sound; a later event's own resource is still walked.
    const shared = { 'prefect.resource.id': 'github.repository.o/r', 'prefect.resource.role': 'repository' };
    accepted(sampleEvent({ related: [shared] }));
    accepted(sampleEvent({ related: [shared] }));
    rejected(
      { related: [shared, { 'prefect.resource.id': 'x', 'prefect.resource.role': 'r\0' }] },
      `related[1]."prefect.resource.role": ${nul}`,
    );
    rejected(
      { related: [shared, { 'prefect.resource.id': 'x' }] },
      'related[1]: needs a non-empty "prefect.resource.role" label',
    );
  });

  test('a payload nested 100 levels deep passes; 101 is refused without overflowing the stack', () => {
    const nest = (depth: number) => {
      let value: Record<string, unknown> = {};
      for (let i = 1; i < depth; i++) value = { a: value };
      return value;
    };
    accepted(sampleEvent({ payload: nest(100) }));
    const message =
      'payload.a.a.a.a…: is nested deeper than 100 levels, more than this action sends to Prefect';
    assert.equal(broken(sampleEvent({ payload: nest(101) })), message);
    assert.equal(broken(sampleEvent({ payload: nest(20_000) })), message);
    assert.equal(
      broken(sampleEvent({ payload: { rows: [nest(100)] } })),
      message.replace('a.a.a.a', 'rows[0].a.a'),
    );
  });

  test('control characters in the name are refused (a new line would start a workflow command)', () => {
    rejected({ event: 'a.b\n::error::x' }, 'event: must not hold control characters such as a new line');
    rejected({ event: 'a.b\u0007' }, 'event: must not hold control characters such as a new line');
    accepted(sampleEvent({ event: 'acme.déployé.🚀' }));
  });

  test('a label named __proto__ is a label like any other', () => {
    const resource = JSON.parse('{"prefect.resource.id": "x", "__proto__": "y"}') as Labels;
    accepted(sampleEvent({ resource }));
    assert.equal(
      JSON.stringify(sampleEvent({ resource }).resource),
      '{"prefect.resource.id":"x","__proto__":"y"}',
    );
  });
});
