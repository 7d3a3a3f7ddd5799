// parseTimestamp: ISO 8601 as Prefect reads it (UTC without an offset, a date alone is its midnight).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTimestamp } from '../../src/parse/time.ts';

// Reading a timestamp without an offset as local time would give another instant in this zone.
process.env.TZ = 'Asia/Kolkata';

describe('parseTimestamp', () => {
  test('with Z or an offset, with or without the colon; without one it is UTC', () => {
    const noon = '2026-01-31T12:00:00.000Z';
    for (const text of [
      '2026-01-31T12:00:00Z',
      '2026-01-31T13:00:00+01:00',
      '2026-01-31T07:00-0500',
      '2026-01-31 12:00',
    ]) {
      assert.equal(parseTimestamp(text).toISOString(), noon, text);
    }
  });

  test('a date alone is its midnight UTC', () => {
    assert.equal(parseTimestamp('2026-11-24').toISOString(), '2026-11-24T00:00:00.000Z');
  });

  test('the years 0000 to 0099 are years of their own, not 1900 to 1999', () => {
    assert.equal(parseTimestamp('0050-01-01T00:00:00Z').toISOString(), '0050-01-01T00:00:00.000Z');
    assert.equal(parseTimestamp('0000-02-29').toISOString(), '0000-02-29T00:00:00.000Z'); // a leap year
    assert.throws(() => parseTimestamp('0099-02-29'), {
      message: 'is not a real date and time: "0099-02-29"',
    });
  });

  test('fractions keep milliseconds', () => {
    assert.equal(parseTimestamp('2026-01-31T12:00:00.123456Z').toISOString(), '2026-01-31T12:00:00.123Z');
  });

  test('no such date or time, or another shape: refused, the text quoted', () => {
    assert.throws(() => parseTimestamp('2026-02-30'), {
      message: 'is not a real date and time: "2026-02-30"',
    });
    assert.throws(() => parseTimestamp('2026-01-01T24:00Z'), {
      message: 'is not a real date and time: "2026-01-01T24:00Z"',
    });
    assert.throws(() => parseTimestamp('yesterday\n::error::x'), {
      message: 'must be an ISO 8601 timestamp such as 2026-01-31T12:00:00Z, not "yesterday\\n::error::x"',
    });
  });
});
