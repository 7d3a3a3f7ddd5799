// buildEvent: a spec, the workflow context and the clock make the event; errors name the spec's origin.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildEvent, type EventContext } from '../../src/event/build.ts';
import { originOf, type EventSpec } from '../../src/event/spec.ts';

const ID = '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f';
const EARLIER_ID = '0192f7a1-0000-7000-8000-000000000001';
const NOW = new Date('2026-01-31T12:00:00.000Z');
const RUN = { 'prefect.resource.id': 'github.workflow-run.1', 'prefect.resource.name': 'Release' };
const ACTOR = { 'prefect.resource.id': 'github.user.octocat', 'prefect.resource.role': 'actor' };

const SPEC: EventSpec = {
  event: 'acme.model.deployed',
  resource: { 'prefect.resource.id': 'acme.model.churn' },
  related: [{ 'prefect.resource.id': 'acme.dataset.customers', 'prefect.resource.role': 'dataset' }],
  payload: { version: '1.4.0' },
  origin: { ...originOf('Input "x"'), payload: 'Input "payload-file"', related: 'Input "related"' },
};
const CONTEXT: EventContext = { workflowRun: RUN, related: [ACTOR], relateWorkflowRun: true, now: NOW };

describe('buildEvent', () => {
  test('the JSON key order of Prefect, the context first then the spec, a new v7 id, now', () => {
    const { event, notice } = buildEvent(SPEC, CONTEXT);
    assert.equal(notice, undefined);
    assert.deepEqual(Object.keys(event), [
      'occurred',
      'event',
      'resource',
      'related',
      'payload',
      'id',
      'follows',
    ]);
    assert.equal(event.occurred, '2026-01-31T12:00:00.000Z');
    assert.deepEqual(event.related, [
      {
        'prefect.resource.id': 'github.workflow-run.1',
        'prefect.resource.role': 'workflow-run',
        'prefect.resource.name': 'Release',
      },
      ACTOR,
      SPEC.related[0],
    ]);
    assert.match(event.id, /^019c13ec-9e00-7/); // the milliseconds of NOW, version 7
    assert.equal(event.follows, null);
  });

  test('without a resource the workflow run is the resource, not also related', () => {
    const { resource: _omitted, ...spec } = SPEC;
    const { event } = buildEvent(spec, CONTEXT);
    assert.deepEqual(event.resource, RUN);
    assert.deepEqual(event.related, [ACTOR, SPEC.related[0]]);
  });

  test('without a resource outside a workflow run: an error naming the resource origin', () => {
    const { resource: _omitted, ...spec } = SPEC;
    assert.throws(() => buildEvent(spec, { related: [], relateWorkflowRun: true, now: NOW }), {
      name: 'EventError',
      message: 'Input "x" is required outside a GitHub workflow run (no GITHUB_RUN_ID to name the run).',
    });
  });

  test('lowercases id and follows, writes occurred in UTC', () => {
    const { event } = buildEvent(
      {
        ...SPEC,
        occurred: new Date('2026-01-31T13:00:00.250+01:00'),
        id: ID.toUpperCase(),
        follows: { id: EARLIER_ID.toUpperCase() },
      },
      CONTEXT,
    );
    assert.equal(event.id, ID);
    assert.equal(event.follows, EARLIER_ID);
    assert.equal(event.occurred, '2026-01-31T12:00:00.250Z');
  });

  test('follows an event 5 minutes or more apart is left out, with a notice', () => {
    const earlier = { id: EARLIER_ID, occurred: new Date(NOW.getTime() - 3 * 24 * 3600_000) };
    const { event, notice } = buildEvent({ ...SPEC, follows: earlier }, CONTEXT);
    assert.equal(event.follows, null);
    assert.match(notice ?? '', /occurred 3 days apart/);
  });

  test('too many related resources with the context: the related origin, with both counts', () => {
    const related = Array.from({ length: 99 }, (_, i) => ({
      'prefect.resource.id': `acme.item.${i}`,
      'prefect.resource.role': 'item',
    }));
    assert.throws(() => buildEvent({ ...SPEC, related }, CONTEXT), {
      message:
        'Input "related" gives 99 related resources; with the 2 from the workflow context that is more than ' +
        "Prefect's limit of 100 (github-context: false leaves those out).",
    });
  });

  test('a broken rule names the origin of the part at fault, in one sentence', () => {
    assert.throws(() => buildEvent({ ...SPEC, payload: { blob: 'x'.repeat(1_500_000) } }, CONTEXT), {
      message:
        /^Input "payload-file" makes an event Prefect would not take: it is \d+ bytes as JSON, and Prefect silently drops events over 1500000 bytes \(128 of them kept for fields the server adds\): make the payload smaller\.$/,
    });
    assert.throws(() => buildEvent({ ...SPEC, payload: { note: 'a\0b' } }, CONTEXT), {
      message:
        'Input "payload-file" makes an event Prefect would not take at payload.note: it holds a NUL character ' +
        '(\\u0000), which Prefect on PostgreSQL cannot store (it would drop the event after accepting it): ' +
        'remove it.',
    });
  });
});
