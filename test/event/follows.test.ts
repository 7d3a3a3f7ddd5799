// The follows rule of Prefect's client: only for events less than 5 minutes apart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decideFollows, describeDuration } from '../../src/event/follows.ts';

const EARLIER_ID = '0192f7a1-0000-7000-8000-000000000001';

describe('decideFollows', () => {
  const at = new Date('2026-01-31T12:00:00.000Z');
  const offset = (ms: number) => new Date(at.getTime() + ms);
  const MINUTE = 60_000;
  const leftOut = (apart: string) =>
    `"follows" was left out: event ${EARLIER_ID} occurred ${apart} apart from this one, and ` +
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
      reason: leftOut('5 minutes'),
    });
    assert.deepEqual(decideFollows({ id: EARLIER_ID, occurred: offset(5 * MINUTE) }, at), {
      follows: null,
      reason: leftOut('5 minutes'),
    });
    assert.deepEqual(decideFollows({ id: EARLIER_ID, occurred: offset(-125 * MINUTE) }, at), {
      follows: null,
      reason: leftOut('2 hours'),
    });
  });

  test('when the earlier event has no time: follows as given', () => {
    assert.deepEqual(decideFollows({ id: EARLIER_ID }, at), { follows: EARLIER_ID });
  });
});

describe('describeDuration', () => {
  test('minutes up to two hours, hours up to two days, then days', () => {
    const MINUTE = 60_000;
    assert.equal(describeDuration(MINUTE), '1 minute');
    assert.equal(describeDuration(5 * MINUTE), '5 minutes');
    assert.equal(describeDuration(119 * MINUTE), '119 minutes');
    assert.equal(describeDuration(125 * MINUTE), '2 hours');
    assert.equal(describeDuration(47 * 60 * MINUTE), '47 hours');
    assert.equal(describeDuration(4320 * MINUTE), '3 days');
  });
});
