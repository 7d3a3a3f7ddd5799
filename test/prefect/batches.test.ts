// Batches against the Prefect stub: one request while the batch fits under 5 MiB, consecutive requests under
// the cap otherwise, every event once and in order; a failure part-way says how many were emitted.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { PrefectEvent } from '../../src/event/schema.ts';
import { MAX_BODY_BYTES, sendEvents } from '../../src/prefect/client.ts';
import { deliveryError, stubClientOptions } from '../support/client-options.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { numberedEvent } from '../support/sample-event.ts';

const options = (stub: PrefectStub) => stubClientOptions(stub, { retries: 2 });

/** The events each request carried, by their `n`. */
function carried(stub: PrefectStub): number[][] {
  return stub.requests.map((request) =>
    (JSON.parse(request.body) as PrefectEvent[]).map((event) => (event.payload as { n: number }).n),
  );
}

let stub: PrefectStub;
before(async () => (stub = await startPrefectStub()));
after(() => stub.close());
beforeEach(() => stub.reset());

describe('sendEvents: batches', () => {
  test('1000 small events go in exactly one request, in order', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => numberedEvent(i + 1, 200));
    const delivery = await sendEvents(events, options(stub));
    assert.deepEqual(delivery, { status: 204, attempts: 1, requests: 1 });
    assert.equal(stub.requests.length, 1);
    assert.deepEqual(JSON.parse(stub.requests[0]?.body ?? ''), events);
    assert.equal(
      stub.requests[0]?.headers['content-length'],
      String(Buffer.byteLength(JSON.stringify(events))),
    );
  });

  test('8 events of 0.9 MB go in consecutive requests under 5 MiB, each event once, in order', async () => {
    const events = Array.from({ length: 8 }, (_, i) => numberedEvent(i + 1, 900_000));
    const delivery = await sendEvents(events, options(stub));
    assert.deepEqual(delivery, { status: 204, attempts: 2, requests: 2 });
    assert.deepEqual(carried(stub), [
      [1, 2, 3, 4, 5],
      [6, 7, 8],
    ]);
    for (const request of stub.requests) {
      assert.ok(
        Buffer.byteLength(request.body) <= MAX_BODY_BYTES,
        `${Buffer.byteLength(request.body)} bytes`,
      );
      assert.equal(request.headers['content-length'], String(Buffer.byteLength(request.body)));
    }
    // Exactly the events, as built: nothing lost, nothing repeated.
    assert.deepEqual(
      stub.requests.flatMap((request) => JSON.parse(request.body) as PrefectEvent[]),
      events,
    );
  });

  test('events sharing one list of related resources are sent byte for byte as JSON.stringify writes them', async () => {
    // A batch's workflow-context resources are one list shared by its events (event/build.ts), multi-byte too.
    const shared = [
      { 'prefect.resource.id': 'github.user.zoë', 'prefect.resource.role': 'actor', 'github.name': 'Zoë 🚀' },
    ];
    const events: PrefectEvent[] = Array.from({ length: 8 }, (_, i) => ({
      ...numberedEvent(i + 1, 700_000),
      related: shared,
    }));
    // One with a list of its own, one with its keys in another order, one with an extra key: as they are.
    events[3] = { ...numberedEvent(4, 700_000), related: [...shared] };
    const { id, ...rest } = numberedEvent(5, 700_000);
    events[4] = { id, ...rest, related: shared };
    events[5] = { ...numberedEvent(6, 700_000), related: shared, extra: 'é' } as PrefectEvent;
    await sendEvents(events, options(stub));
    assert.deepEqual(carried(stub), [[1, 2, 3, 4, 5, 6, 7], [8]]);
    assert.deepEqual(
      stub.requests.map((request) => request.body),
      [JSON.stringify(events.slice(0, 7)), JSON.stringify(events.slice(7))],
    );
  });

  test('multi-byte characters count as bytes: a batch that fits in characters may not fit in bytes', async () => {
    const events = [1, 2, 3].map((n) => ({ ...numberedEvent(n), payload: { n, blob: 'é'.repeat(900_000) } }));
    assert.ok(JSON.stringify(events).length < MAX_BODY_BYTES);
    await sendEvents(events, options(stub));
    assert.deepEqual(carried(stub), [[1, 2], [3]]);
  });

  test('a retried request sends the same body again, and the next request follows', async () => {
    const events = Array.from({ length: 8 }, (_, i) => numberedEvent(i + 1, 900_000));
    stub.script.push({ status: 204 }, { status: 503 });
    const delivery = await sendEvents(events, options(stub));
    assert.deepEqual(delivery, { status: 204, attempts: 3, requests: 2 });
    assert.deepEqual(carried(stub), [
      [1, 2, 3, 4, 5],
      [6, 7, 8],
      [6, 7, 8],
    ]);
    assert.equal(stub.requests[1]?.body, stub.requests[2]?.body);
  });

  test('a failure on the 2nd request after retries says how many events were emitted', async () => {
    const events = Array.from({ length: 8 }, (_, i) => numberedEvent(i + 1, 900_000));
    stub.script.push({ status: 204 }, { status: 503 }, { status: 503 }, { status: 503 });
    const error = await deliveryError(sendEvents(events, options(stub)));
    assert.equal(error.emittedCount, 5);
    assert.match(
      error.message,
      /^POST http:\/\/127\.0\.0\.1:\d+\/api\/events \(events 6-8 of 8\) answered 503 Service Unavailable \(3 attempts, retries exhausted\)\. 5 of 8 events were emitted before this request failed\.$/,
    );
    assert.equal(stub.requests.length, 4);
  });

  test('a failure on the first request of a split batch emitted nothing, and says which events it held', async () => {
    const events = Array.from({ length: 8 }, (_, i) => numberedEvent(i + 1, 900_000));
    stub.script.push({ status: 422, body: '{"detail":"bad"}' });
    const error = await deliveryError(sendEvents(events, options(stub)));
    assert.equal(error.emittedCount, 0);
    assert.match(error.message, /\(events 1-5 of 8\) answered 422 Unprocessable Entity: bad \(1 attempt\)/);
    assert.doesNotMatch(error.message, /were emitted/);
    assert.equal(stub.requests.length, 1);
  });
});
