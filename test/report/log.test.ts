// eventsForLog: every event of a small batch, the first 20 of a large one and a count.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventsForLog, MAX_LOGGED_EVENTS } from '../../src/report/log.ts';

describe('eventsForLog', () => {
  test('one event: the event itself, pretty', () => {
    assert.equal(eventsForLog([{ event: 'a.b' }]), '{\n  "event": "a.b"\n}');
  });

  test('a small batch: all of it, as a list', () => {
    assert.deepEqual(JSON.parse(eventsForLog([{ n: 1 }, { n: 2 }])), [{ n: 1 }, { n: 2 }]);
  });

  test('a large batch: the first 20, then how many more and where every id is', () => {
    const events = Array.from({ length: 1000 }, (_, n) => ({ n }));
    const text = eventsForLog(events);
    const [json, note] = text.split('\n…');
    assert.equal((JSON.parse(json ?? '') as unknown[]).length, MAX_LOGGED_EVENTS);
    assert.equal(note, 'and 980 more events (the event-ids output lists every id).');
  });
});
