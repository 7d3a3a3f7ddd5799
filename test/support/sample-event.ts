// One valid Prefect event for tests that need "an event" rather than particular values: what the server
// would store as it is, with fields replaced where a test is about them.
import type { PrefectEvent } from '../../src/event/schema.ts';

/** The sample event's id (a UUIDv7, as the action makes them). */
export const SAMPLE_EVENT_ID = '0190b7c8-3f1e-7a2b-8c4d-5e6f708192a3';

/** A valid event with nothing related, an empty payload and no follows; `changes` over it. */
export function sampleEvent(changes: Partial<PrefectEvent> = {}): PrefectEvent {
  return {
    occurred: '2025-06-01T12:00:00.000Z',
    event: 'acme.model.deployed',
    resource: { 'prefect.resource.id': 'acme.model.churn' },
    related: [],
    payload: {},
    id: SAMPLE_EVENT_ID,
    follows: null,
    ...changes,
  };
}

/**
 * The n-th event of a batch (n from 1): its own id, and `{ n, blob }` as payload, the blob about
 * `payloadBytes` bytes, so a test can tell which events a request carried and make them as large as it needs.
 */
export function numberedEvent(n: number, payloadBytes = 0): PrefectEvent {
  return sampleEvent({
    payload: { n, blob: 'x'.repeat(payloadBytes) },
    id: `0190b7c8-3f1e-7a2b-8c4d-${String(n).padStart(12, '0')}`,
  });
}
