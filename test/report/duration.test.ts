// How long, in words: the same spelling in the wait's log and messages and in the workflow-run summary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDuration } from '../../src/report/duration.ts';

test('durations read as a person says them, hours included', () => {
  assert.deepEqual(
    [0, 4_400, 45_400, 59_600, 61_000, 125_000, 3_599_000, 3_600_000, 7_322_000, 21_600_000].map(
      describeDuration,
    ),
    [
      '0 s',
      '4 s',
      '45 s',
      '1 min 0 s',
      '1 min 1 s',
      '2 min 5 s',
      '59 min 59 s',
      '1 h 0 min',
      '2 h 2 min',
      '6 h 0 min',
    ],
  );
});
