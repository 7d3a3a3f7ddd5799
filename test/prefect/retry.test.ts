// What is retried and when: Retry-After, the backoff, and which failures end the delivery at once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NEUTRAL_NAMES } from '../../src/prefect/errors.ts';
import { backoffMs, retryAfterMs, whyStop } from '../../src/prefect/retry.ts';

describe('retryAfterMs', () => {
  test('seconds', () => {
    assert.equal(retryAfterMs('1'), 1000);
    assert.equal(retryAfterMs('0'), 0);
    assert.equal(retryAfterMs(' 120 '), 120_000);
    assert.equal(retryAfterMs(['3', '9']), 3000);
  });

  test('an HTTP date, relative to now; one in the past means now', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:27:30 GMT');
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', now), 30_000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:27:00 GMT', now), 0);
  });

  test('absent or unreadable', () => {
    assert.equal(retryAfterMs(undefined), undefined);
    assert.equal(retryAfterMs(''), undefined);
    assert.equal(retryAfterMs('  '), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
  });
});

describe('backoffMs', () => {
  test('half of each step is fixed, half random', () => {
    assert.equal(
      backoffMs(1, 1000, 30_000, () => 0),
      500,
    );
    assert.equal(
      backoffMs(1, 1000, 30_000, () => 1),
      1000,
    );
    assert.equal(
      backoffMs(1, 1000, 30_000, () => 0.5),
      750,
    );
  });

  test('doubles with each attempt', () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => backoffMs(attempt, 100, 30_000, () => 1)),
      [100, 200, 400, 800],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => backoffMs(attempt, 100, 30_000, () => 0)),
      [50, 100, 200, 400],
    );
  });

  test('is capped by the longest pause', () => {
    assert.equal(
      backoffMs(10, 1000, 30_000, () => 1),
      30_000,
    );
    assert.equal(
      backoffMs(10, 1000, 30_000, () => 0),
      15_000,
    );
    assert.equal(
      backoffMs(3, 1000, 3000, () => 1),
      3000,
    );
  });

  test('stays within [step/2, step] with the real random', () => {
    for (let i = 0; i < 100; i++) {
      const pause = backoffMs(2, 100, 30_000);
      assert.ok(pause >= 100 && pause <= 200, String(pause));
    }
  });
});

describe('retryAfterMs edge cases', () => {
  test('a negative or unreadable Retry-After is ignored, not read as a date', () => {
    assert.equal(retryAfterMs('-1'), undefined);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(
      retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT')),
      2000,
    );
  });
});

describe('whyStop', () => {
  const progress = { attempt: 1, attempts: 4, retryAfter: undefined, maxPause: 30_000, names: NEUTRAL_NAMES };

  test('a proxy refusing CONNECT with 407 or 502 stops at once; 503 from it is tried again', () => {
    for (const status of [407, 502, 403]) {
      assert.match(
        whyStop({ kind: 'answer', status, fromProxy: true }, progress) ?? '',
        /^\(1 attempt\)\. The proxy/,
      );
    }
    assert.equal(whyStop({ kind: 'answer', status: 503, fromProxy: true }, progress), undefined);
  });

  test('the same 502 from the server is tried again', () => {
    assert.equal(whyStop({ kind: 'answer', status: 502, fromProxy: false }, progress), undefined);
  });
});
