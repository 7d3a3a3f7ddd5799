// End to end, how a batch is delivered: one request while it fits Prefect Cloud's 5 MiB, split in order
// beyond that, and what a failure after some requests succeeded reports.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';
import { serverProblems } from '../support/prefect-schema.ts';
import { runAction } from '../../tools/runner.ts';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** JSON Lines of `count` events, each with a payload of `bytes` characters. */
function jsonLines(count: number, bytes = 0): string {
  return Array.from({ length: count }, (_, n) =>
    JSON.stringify({
      event: 'acme.table.rebuilt',
      resource: `acme.table.t${n}`,
      payload: bytes > 0 ? { n, blob: 'x'.repeat(bytes) } : { n },
    }),
  ).join('\n');
}

describe('dist/index.js delivering a batch', () => {
  let prefect: PrefectStub;
  before(async () => (prefect = await startPrefectStub()));
  after(() => prefect.close());
  beforeEach(() => prefect.reset());

  const received = () =>
    prefect.requests.flatMap(
      (request) => JSON.parse(request.body) as { payload: { n: number }; id: string }[],
    );

  test('1000 events from a JSON Lines file: one request, each event once, in order', async () => {
    const run = await runAction({
      files: { 'events.jsonl': jsonLines(1000) },
      inputs: { 'events-file': 'events.jsonl', 'api-url': prefect.apiUrl },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.equal(prefect.requests.length, 1);
    assert.deepEqual(serverProblems(prefect.requests[0]?.body ?? ''), []);
    const events = received();
    assert.deepEqual(
      events.map((event) => event.payload.n),
      Array.from({ length: 1000 }, (_, n) => n),
    );
    assert.deepEqual(
      JSON.parse(run.outputs['event-ids'] ?? ''),
      events.map((event) => event.id),
    );
    assert.equal(new Set(events.map((event) => event.id)).size, 1000);
    // The log shows the first events and counts the rest.
    assert.match(run.stdout, /…and 980 more events \(the event-ids output lists every id\)\./);
    assert.match(run.summary, /…and 950 more events, not listed here\./);
  });

  test('8 events of 0.9 MB each: requests under 5 MiB, in order, every event once', async () => {
    const run = await runAction({
      files: { 'big.jsonl': jsonLines(8, 900_000) },
      inputs: { 'events-file': 'big.jsonl', 'api-url': prefect.apiUrl, summary: 'false' },
    });
    assert.equal(run.exitCode, 0, run.stdout);
    assert.ok(prefect.requests.length >= 2, `${prefect.requests.length} requests`);
    for (const request of prefect.requests) {
      assert.ok(
        Buffer.byteLength(request.body) <= MAX_BODY_BYTES,
        `${Buffer.byteLength(request.body)} bytes`,
      );
      assert.deepEqual(serverProblems(request.body), []);
    }
    assert.deepEqual(
      received().map((event) => event.payload.n),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.match(run.stdout, new RegExp(`Emitted 8 events to .* in ${prefect.requests.length} requests`));
    assert.equal(run.outputs.emitted, 'true');
  });

  test('a request failing after an earlier one succeeded: how many were emitted, and emitted is false', async () => {
    prefect.script.push({ status: 204 }, { status: 503 }, { status: 503 });
    const run = await runAction({
      files: { 'big.jsonl': jsonLines(8, 900_000) },
      inputs: { 'events-file': 'big.jsonl', 'api-url': prefect.apiUrl, retries: '1' },
    });
    assert.equal(run.exitCode, 1);
    assert.equal(run.outputs.emitted, 'false');
    const first = JSON.parse(prefect.requests[0]?.body ?? '[]') as unknown[];
    assert.match(
      run.stdout,
      new RegExp(`::error::.*${first.length} of 8 events were emitted before this request failed`),
    );
    assert.match(run.summary, new RegExp(`❌ failed \\(${first.length} of 8 emitted before it failed\\)`));
    // Both attempts of the failed request carried the same events.
    assert.equal(prefect.requests[1]?.body, prefect.requests[2]?.body);
  });
});
