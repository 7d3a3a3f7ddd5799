// The main -> post hand-off: what the main step saves is what the post step reads, through real state files.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jobEndSpec } from '../../src/steps/finish.ts';
import { loadStartOfJob, MAX_STATE_BYTES, saveStartOfJob, type StateStore } from '../../src/steps/state.ts';
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
    assert.equal(saveStartOfJob(state, START), 'saved');
    assert.deepEqual(loadStartOfJob(state), {
      id: START.id,
      occurred: START.occurred,
      resource: START.resource,
      related: START.related,
    });
  });

  test('nothing saved: nothing to load', () => {
    assert.equal(loadStartOfJob(store()), undefined);
  });

  test('related resources too large for the runner state are left out, and the caller is told', () => {
    const label = 'x'.repeat(2000);
    const related = Array.from({ length: 60 }, (_, i) => ({
      'prefect.resource.id': `${label}${i}`,
      'prefect.resource.role': 'r',
    }));
    const state = store();
    assert.equal(saveStartOfJob(state, { ...START, related }), 'without related');
    assert.ok([...state.saved.values()].every((value) => Buffer.byteLength(value) <= MAX_STATE_BYTES));
    assert.deepEqual(loadStartOfJob(state)?.related, []);
  });

  test('measured in bytes, as Linux limits an environment variable: 40,000 CJK characters are 120 kB', () => {
    const related = [{ 'prefect.resource.id': '資'.repeat(40_000), 'prefect.resource.role': 'r' }];
    const state = store();
    assert.equal(saveStartOfJob(state, { ...START, related }), 'without related');
    assert.deepEqual(loadStartOfJob(state)?.related, []);
  });

  test('a resource too large even alone: nothing saved, the caller is told, and the post step finds nothing', () => {
    const state = store();
    const resource = { 'prefect.resource.id': 'r', 'acme.blob': '資'.repeat(40_000) };
    assert.equal(saveStartOfJob(state, { ...START, resource }), 'too large');
    assert.equal(state.saved.size, 0);
    assert.equal(loadStartOfJob(state), undefined);
  });
});

describe('jobEndSpec', () => {
  const start = { id: START.id, occurred: START.occurred, resource: START.resource, related: START.related };

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

  test('5 minutes or more after the start: no follows (and no notice: long jobs are normal)', () => {
    const spec = jobEndSpec(start, 'acme.deploy.done', 'success', new Date('2026-01-31T13:00:00.000Z'));
    assert.equal(spec.event, 'acme.deploy.done');
    assert.equal('follows' in spec, false);
    assert.equal(spec.payload.duration_seconds, 3600);
  });
});
