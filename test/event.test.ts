// The event model: UUID v7, the follows rule, and every rule Prefect's server applies to an event.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildEvent,
  decideFollows,
  uuidv7,
  validateEvent,
  MAX_EVENT_BYTES,
  SERVER_ADDED_BYTES,
  type EventParts,
  type Labels,
  type PrefectEvent,
} from '../src/event.ts';
import { serverProblems } from './helpers/prefect-schema.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ID = '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f';
const EARLIER_ID = '0192f7a1-0000-7000-8000-000000000001';

const PARTS: EventParts = {
  event: 'acme.model.deployed',
  resource: { 'prefect.resource.id': 'acme.model.churn' },
  related: [{ 'prefect.resource.id': 'github.user.octocat', 'prefect.resource.role': 'actor' }],
  payload: { version: '1.4.0' },
  occurred: new Date('2026-01-31T12:00:00.000Z'),
  id: ID,
  follows: null,
};

/** A valid event, with some fields replaced. */
function event(changes: Partial<PrefectEvent> = {}): PrefectEvent {
  return {
    occurred: '2026-01-31T12:00:00.000Z',
    event: 'acme.model.deployed',
    resource: { 'prefect.resource.id': 'acme.model.churn' },
    related: [],
    payload: {},
    id: ID,
    follows: null,
    ...changes,
  };
}

function rejected(changes: Partial<PrefectEvent>, message: string): void {
  assert.throws(() => validateEvent(event(changes)), { name: 'EventError', message });
}

function labels(count: number, role?: string): Labels {
  const result: Labels = { 'prefect.resource.id': 'acme.model.churn' };
  if (role) result['prefect.resource.role'] = role;
  for (let i = Object.keys(result).length; i < count; i++) result[`acme.label-${i}`] = 'x';
  return result;
}

describe('uuidv7', () => {
  test('is a version 7, variant 10 UUID in lowercase', () => {
    for (let i = 0; i < 100; i++) assert.match(uuidv7(), UUID_V7);
  });

  test('starts with the 48 bits of the given Unix milliseconds', () => {
    // RFC 9562, appendix A.6: 2022-02-22T19:22:22Z is 0x017F22E279B0.
    assert.equal(Date.UTC(2022, 1, 22, 19, 22, 22), 0x017f22e279b0);
    assert.ok(uuidv7(0x017f22e279b0).startsWith('017f22e2-79b0-7'));
    for (const ms of [0, 1, 255, 256, Date.UTC(2026, 0, 31, 12), 2 ** 48 - 1]) {
      const id = uuidv7(ms);
      assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), ms, id);
    }
  });

  test('uses the current time when none is given', () => {
    const before = Date.now();
    const id = uuidv7();
    const after = Date.now();
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    assert.ok(ms >= before && ms <= after, `${ms} not in [${before}, ${after}]`);
  });

  test('ids made in increasing milliseconds sort in that order', () => {
    const start = Date.UTC(2026, 0, 31, 12);
    const times = [start, start + 1, start + 255, start + 256, start + 65_536, start + 86_400_000, 2 ** 47];
    const ids = times.map((ms) => uuidv7(ms));
    assert.deepEqual([...ids].sort(), ids);
  });

  test('1000 ids made in the same millisecond are all different', () => {
    const ms = Date.UTC(2026, 0, 31, 12);
    const ids = new Set(Array.from({ length: 1000 }, () => uuidv7(ms)));
    assert.equal(ids.size, 1000);
  });
});

describe('decideFollows', () => {
  const at = new Date('2026-01-31T12:00:00.000Z');
  const offset = (ms: number) => new Date(at.getTime() + ms);
  const MINUTE = 60_000;
  const leftOut = (minutes: string) =>
    `"follows" was left out: event ${EARLIER_ID} occurred ${minutes} minutes apart from this one, and ` +
    'Prefect sets follows only for events less than 5 minutes apart (ordering by "occurred" suffices beyond that).';

  test('less than 5 minutes apart, in either order: follows', () => {
    for (const apart of [0, 1, 4 * MINUTE, 5 * MINUTE - 1]) {
      assert.deepEqual(decideFollows({ id: EARLIER_ID, occurred: offset(-apart) }, at), {
        follows: EARLIER_ID,
      });
      assert.deepEqual(decideFollows({ id: EARLIER_ID, occurred: offset(apart) }, at), {
        follows: EARLIER_ID,
      });
    }
  });

  test('exactly 5 minutes apart or more, in either order: left out, with the reason', () => {
    assert.deepEqual(decideFollows({ id: EARLIER_ID, occurred: offset(-5 * MINUTE) }, at), {
      follows: null,
      reason: leftOut('5.0'),
    });
    assert.deepEqual(decideFollows({ id: EARLIER_ID, occurred: offset(5 * MINUTE) }, at), {
      follows: null,
      reason: leftOut('5.0'),
    });
    assert.deepEqual(decideFollows({ id: EARLIER_ID, occurred: offset(-125 * MINUTE) }, at), {
      follows: null,
      reason: leftOut('125.0'),
    });
  });

  test('when the earlier event has no time: follows as given', () => {
    assert.deepEqual(decideFollows({ id: EARLIER_ID }, at), { follows: EARLIER_ID });
  });
});

describe('validateEvent and buildEvent: the server rules', () => {
  test('a valid event passes unchanged, and the server schema agrees', () => {
    const valid = event({
      related: [{ 'prefect.resource.id': 'github.user.octocat', 'prefect.resource.role': 'actor' }],
      payload: { version: '1.4.0' },
      follows: EARLIER_ID,
    });
    assert.deepEqual(validateEvent(structuredClone(valid)), valid);
    assert.deepEqual(serverProblems(JSON.stringify([valid])), []);
  });

  test('the name: not empty, at most 1024 characters as Prefect counts them', () => {
    rejected({ event: '' }, "The event's event must not be empty.");
    rejected({ event: 'e'.repeat(1025) }, "The event's event must be at most 1024 characters.");
    rejected({ event: '🚀'.repeat(1025) }, "The event's event must be at most 1024 characters.");
    validateEvent(event({ event: 'e'.repeat(1024) }));
    validateEvent(event({ event: '🚀'.repeat(1024) })); // 1024 code points, 2048 UTF-16 units
  });

  test('the resource needs a non-empty prefect.resource.id', () => {
    const message = 'The event\'s resource needs a non-empty "prefect.resource.id" label.';
    rejected({ resource: {} }, message);
    rejected({ resource: { 'prefect.resource.id': '' } }, message);
    rejected({ resource: { 'prefect.resource.name': 'Churn model' } }, message);
  });

  test('each related resource needs a non-empty id and role, named by its index', () => {
    const actor = { 'prefect.resource.id': 'github.user.octocat', 'prefect.resource.role': 'actor' };
    rejected(
      { related: [actor, { 'prefect.resource.id': 'acme.dataset.customers' }] },
      'The event\'s related[1] needs a non-empty "prefect.resource.role" label.',
    );
    rejected(
      { related: [{ 'prefect.resource.id': 'acme.dataset.customers', 'prefect.resource.role': '' }] },
      'The event\'s related[0] needs a non-empty "prefect.resource.role" label.',
    );
    rejected(
      { related: [actor, actor, { 'prefect.resource.role': 'dataset' }] },
      'The event\'s related[2] needs a non-empty "prefect.resource.id" label.',
    );
  });

  test('at most 500 labels a resource', () => {
    validateEvent(event({ resource: labels(500), related: [labels(500, 'model')] }));
    rejected(
      { resource: labels(501) },
      "The event's resource has more than 500 labels, Prefect's limit for one resource.",
    );
    rejected(
      { related: [labels(501, 'model')] },
      "The event's related[0] has more than 500 labels, Prefect's limit for one resource.",
    );
  });

  test('at most 100 related resources', () => {
    const related = (count: number) =>
      Array.from({ length: count }, (_, i) => ({
        'prefect.resource.id': `acme.item.${i}`,
        'prefect.resource.role': 'item',
      }));
    validateEvent(event({ related: related(100) }));
    rejected({ related: related(101) }, "The event's related has more than 100 resources, Prefect's limit.");
  });

  test('id and follows must be UUIDs', () => {
    rejected({ id: 'acme-1' }, "The event's id must be a UUID.");
    rejected({ id: '' }, "The event's id must be a UUID.");
    rejected({ follows: 'acme-0' }, "The event's follows must be a UUID.");
  });

  test('buildEvent lowercases id and follows, writes occurred in UTC, and validates', () => {
    const built = buildEvent({
      ...PARTS,
      occurred: new Date('2026-01-31T13:00:00.250+01:00'),
      id: ID.toUpperCase(),
      follows: EARLIER_ID.toUpperCase(),
    });
    assert.equal(built.id, ID);
    assert.equal(built.follows, EARLIER_ID);
    assert.equal(built.occurred, '2026-01-31T12:00:00.250Z');
    assert.throws(() => buildEvent({ ...PARTS, id: 'not-a-uuid' }), {
      name: 'EventError',
      message: "The event's id must be a UUID.",
    });
    assert.throws(() => buildEvent({ ...PARTS, resource: {} }), {
      message: 'The event\'s resource needs a non-empty "prefect.resource.id" label.',
    });
  });

  test('the JSON key order is occurred, event, resource, related, payload, id, follows', () => {
    const built = buildEvent(PARTS);
    assert.deepEqual(Object.keys(built), [
      'occurred',
      'event',
      'resource',
      'related',
      'payload',
      'id',
      'follows',
    ]);
    assert.equal(
      JSON.stringify(built),
      '{"occurred":"2026-01-31T12:00:00.000Z","event":"acme.model.deployed",' +
        '"resource":{"prefect.resource.id":"acme.model.churn"},' +
        '"related":[{"prefect.resource.id":"github.user.octocat","prefect.resource.role":"actor"}],' +
        `"payload":{"version":"1.4.0"},"id":"${ID}","follows":null}`,
    );
  });
});

describe('the size rule: Prefect silently drops events over 1,500,000 bytes of JSON', () => {
  // The server counts the UTF-8 bytes of the event's JSON and keeps SERVER_ADDED_BYTES of room for fields it adds.
  const LIMIT = MAX_EVENT_BYTES - SERVER_ADDED_BYTES;
  const tooBig = (bytes: number) =>
    `The event is ${bytes} bytes as JSON; Prefect silently drops events over 1500000 bytes ` +
    `(with ${SERVER_ADDED_BYTES} bytes kept for fields the server adds), so it was not sent: make the payload smaller.`;

  /** An event whose JSON is exactly `bytes` long in UTF-8, its payload filled with `unit` characters. */
  function eventOfSize(bytes: number, unit: string): PrefectEvent {
    const empty = event({ payload: { data: '' } });
    const room = bytes - Buffer.byteLength(JSON.stringify(empty), 'utf8');
    const unitBytes = Buffer.byteLength(JSON.stringify(unit), 'utf8') - 2; // in JSON, without the quotes
    const data = unit.repeat(Math.floor(room / unitBytes)) + 'a'.repeat(room % unitBytes);
    const sized = event({ payload: { data } });
    assert.equal(Buffer.byteLength(JSON.stringify(sized), 'utf8'), bytes);
    return sized;
  }

  test('the limit is Prefect’s, and the margin covers what the server adds before it measures', () => {
    assert.equal(MAX_EVENT_BYTES, 1_500_000);
    // The server measures its ReceivedEvent: our event plus `received`, both timestamps in microseconds.
    const sent = event({ follows: '0192f7a1-0000-7000-8000-000000000001' });
    const micro = (iso: string) => iso.replace(/\.(\d{3})Z$/, '.$1999Z');
    const stored = { ...sent, occurred: micro(sent.occurred), received: micro(new Date().toISOString()) };
    const added = Buffer.byteLength(JSON.stringify(stored)) - Buffer.byteLength(JSON.stringify(sent));
    assert.ok(added > 0 && added <= SERVER_ADDED_BYTES, `the server adds ${added} bytes`);
  });

  test('ASCII: an event of exactly the limit passes, one byte over fails', () => {
    validateEvent(eventOfSize(LIMIT - 1, 'a'));
    validateEvent(eventOfSize(LIMIT, 'a'));
    assert.throws(() => validateEvent(eventOfSize(LIMIT + 1, 'a')), {
      name: 'EventError',
      message: tooBig(LIMIT + 1),
    });
  });

  test('multi-byte characters count in UTF-8 bytes, not characters', () => {
    const euros = eventOfSize(LIMIT + 1, '€'); // 3 bytes each: about 500,000 characters
    assert.ok(JSON.stringify(euros).length < LIMIT / 2);
    assert.throws(() => validateEvent(euros), { message: tooBig(LIMIT + 1) });
    validateEvent(eventOfSize(LIMIT, '🚀')); // 4 bytes each
    assert.throws(() => validateEvent(eventOfSize(LIMIT + 1, '🚀')), { message: tooBig(LIMIT + 1) });
  });

  test('characters JSON escapes count as their escapes', () => {
    // A newline is 2 bytes in JSON ("\n"); a payload of newlines near the limit must be measured escaped.
    const newlines = eventOfSize(LIMIT + 1, '\n');
    assert.throws(() => validateEvent(newlines), { message: tooBig(LIMIT + 1) });
  });

  test('buildEvent applies the size rule too', () => {
    const payload = { data: 'x'.repeat(MAX_EVENT_BYTES) };
    assert.throws(() => buildEvent({ ...PARTS, payload }), {
      name: 'EventError',
      message: /^The event is \d+ bytes as JSON;/,
    });
  });
});
