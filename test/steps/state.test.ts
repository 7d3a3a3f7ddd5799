// The main -> post hand-off: what the main step saves is what the post step reads, through real state files.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildEvent } from '../../src/event/build.ts';
import { jobEndSpec } from '../../src/steps/finish.ts';
import {
  loadStartOfJob,
  MAX_STATE_BYTES,
  saveStartOfJob,
  START_KEY,
  type StateStore,
} from '../../src/steps/state.ts';
import { sampleEvent } from '../support/sample-event.ts';

/** The runner's state as the two steps see it: saved by one, read by the other. */
function store(): StateStore & { saved: Map<string, string> } {
  const saved = new Map<string, string>();
  return {
    saved,
    saveState: (name, value) => saved.set(name, value),
    getState: (name) => saved.get(name) ?? '',
  };
}

/** The start of the job: something related, a payload (not carried); the end is timed from `occurred`. */
const START = sampleEvent({
  occurred: '2026-01-31T12:00:00.000Z',
  related: [{ 'prefect.resource.id': 'github.commit.abc', 'prefect.resource.role': 'commit' }],
  payload: { version: '1.4.0' },
});

describe('saveStartOfJob and loadStartOfJob', () => {
  test('the id, occurred, resource and related survive the hand-off; the payload is not carried', () => {
    const state = store();
    assert.equal(saveStartOfJob(state, START, true), 'saved');
    assert.deepEqual(loadStartOfJob(state), {
      id: START.id,
      occurred: START.occurred,
      resource: START.resource,
      related: START.related,
      emitted: true,
    });
  });

  test('nothing saved: nothing to load', () => {
    assert.equal(loadStartOfJob(store()), undefined);
  });

  test('whether the start event was emitted survives the hand-off', () => {
    const state = store();
    saveStartOfJob(state, START, false);
    assert.equal(loadStartOfJob(state)?.emitted, false);
  });

  /** What the post step says of a saved state that is not what the main step writes. */
  const refusal = (text: string) => {
    const state = store();
    state.saved.set(START_KEY, text);
    try {
      loadStartOfJob(state);
    } catch (error) {
      assert.equal((error as Error).name, 'StateError');
      return (error as Error).message;
    }
    return assert.fail(`${text} was accepted`);
  };
  const saved = (changes: Record<string, unknown>) =>
    JSON.stringify({
      id: START.id,
      occurred: START.occurred,
      resource: START.resource,
      related: START.related,
      emitted: true,
      ...changes,
    });

  test('a saved state that is not what the main step writes: one sentence saying what is wrong', () => {
    const sentence = (problem: string) =>
      'The state the main step handed to the post step (STATE_start-event) is not what this action saves ' +
      `there: it ${problem}; no job-end event was sent.`;
    assert.equal(refusal('{"id": '), sentence('is not JSON'));
    assert.equal(refusal('null'), sentence('is null instead of an object'));
    assert.equal(refusal('[1]'), sentence('is an array instead of an object'));
    assert.equal(refusal(saved({ related: null })), sentence('has a "related" that is not a list'));
    assert.equal(refusal(saved({ related: 5 })), sentence('has a "related" that is not a list'));
    assert.equal(
      refusal(saved({ related: [{ 'prefect.resource.id': 'x' }] })),
      sentence('has a related[0] that needs a non-empty "prefect.resource.role" label'),
    );
    assert.equal(
      refusal(saved({ resource: { 'acme.x': 1 } })),
      sentence('has a resource."acme.x" that must be a string'),
    );
    assert.equal(
      refusal(saved({ resource: null })),
      sentence('has a resource that must be an object of labels'),
    );
    assert.equal(refusal(saved({ id: 'x' })), sentence('has an "id" that is not a UUID'));
    assert.equal(
      refusal(saved({ occurred: 'y' })),
      sentence('has an "occurred" that is not an ISO 8601 timestamp'),
    );
    assert.equal(
      refusal(saved({ occurred: '2026-02-30T12:00:00.000Z' })),
      sentence('has an "occurred" that is not an ISO 8601 timestamp'),
    );
    assert.equal(refusal(saved({ emitted: 'yes' })), sentence('has an "emitted" that is not true or false'));
    assert.equal(
      refusal(saved({ emitted: undefined })),
      sentence('has an "emitted" that is not true or false'),
    );
  });

  test('related resources too large for the runner state are left out, and the caller is told', () => {
    const label = 'x'.repeat(2000);
    const related = Array.from({ length: 60 }, (_, i) => ({
      'prefect.resource.id': `${label}${i}`,
      'prefect.resource.role': 'r',
    }));
    const state = store();
    assert.equal(saveStartOfJob(state, { ...START, related }, true), 'without related');
    assert.ok([...state.saved.values()].every((value) => Buffer.byteLength(value) <= MAX_STATE_BYTES));
    assert.deepEqual(loadStartOfJob(state)?.related, []);
  });

  test('measured in bytes, as Linux limits an environment variable: 40,000 CJK characters are 120 kB', () => {
    const related = [{ 'prefect.resource.id': '資'.repeat(40_000), 'prefect.resource.role': 'r' }];
    const state = store();
    assert.equal(saveStartOfJob(state, { ...START, related }, true), 'without related');
    assert.deepEqual(loadStartOfJob(state)?.related, []);
  });

  test('a resource too large even alone: nothing saved, the caller is told, and the post step finds nothing', () => {
    const state = store();
    const resource = { 'prefect.resource.id': 'r', 'acme.blob': '資'.repeat(40_000) };
    assert.equal(saveStartOfJob(state, { ...START, resource }, true), 'too large');
    assert.equal(state.saved.size, 0);
    assert.equal(loadStartOfJob(state), undefined);
  });
});

describe('jobEndSpec', () => {
  const start = {
    id: START.id,
    occurred: START.occurred,
    resource: START.resource,
    related: START.related,
    emitted: true,
  };

  test('the status in the name, the start resource, the payload of DESIGN §1.3, follows within 5 minutes', () => {
    const spec = jobEndSpec(start, 'acme.deploy.{status}', 'failure', new Date('2026-01-31T12:02:13.116Z'));
    assert.equal(spec.event, 'acme.deploy.failure');
    assert.deepEqual(spec.resource, START.resource);
    assert.deepEqual(spec.related, START.related);
    assert.deepEqual(spec.payload, {
      status: 'failure',
      started: START.occurred,
      duration_seconds: 133.116,
      start_event_id: START.id,
    });
    assert.deepEqual(spec.follows, { id: START.id, occurred: new Date(START.occurred) });
    assert.equal(spec.origin.event, 'Input "job-end-event"');
  });

  test('a start event that was not emitted is not followed: Prefect would hold the end event for it', () => {
    const spec = jobEndSpec(
      { ...start, emitted: false },
      'acme.deploy.{status}',
      'failure',
      new Date('2026-01-31T12:00:05.000Z'),
    );
    assert.equal('follows' in spec, false);
    // The payload and the shared resource still tie the end to the start.
    assert.equal(spec.payload.start_event_id, START.id);
    assert.deepEqual(spec.resource, START.resource);
  });

  test('what the end event takes from the saved state is named as such when Prefect would not take it', () => {
    const resource = { 'prefect.resource.id': 'acme.deploy.prod', 'acme.note': 'cut \ud83d' };
    const spec = jobEndSpec({ ...start, resource }, 'acme.deploy.{status}', 'success', new Date());
    assert.throws(() => buildEvent(spec, { related: [], relateWorkflowRun: false, now: new Date() }), {
      message:
        'The state the main step handed to the post step (STATE_start-event) makes an event Prefect would not ' +
        'take at resource."acme.note": it holds a lone UTF-16 surrogate (\\ud83d), half of a character such as ' +
        'an emoji cut in two, which Prefect answers with 500 Internal Server Error every time: the whole request ' +
        'would be lost.',
    });
  });

  test('5 minutes or more after the start: no follows (and no notice: long jobs are normal)', () => {
    const spec = jobEndSpec(start, 'acme.deploy.done', 'success', new Date('2026-01-31T13:00:00.000Z'));
    assert.equal(spec.event, 'acme.deploy.done');
    assert.equal('follows' in spec, false);
    assert.equal(spec.payload.duration_seconds, 3600);
  });
});
