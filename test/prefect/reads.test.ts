// Reads go through the sending client's session: one CSRF token for every POST, and credentials sent only to
// the API's own origin, whatever a server's next_page points at.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseApiUrl } from '../../src/prefect/api.ts';
import { createReader, ReadError } from '../../src/prefect/reads.ts';
import { startPrefectStub } from '../support/prefect-server.ts';

test('GET and POST answer JSON; a page elsewhere is not followed; a body that is not JSON is an error', async () => {
  const stub = await startPrefectStub([
    { status: 200, body: '{"events": []}' },
    { status: 200, body: '[1]' },
    { status: 200, body: '<html>' },
  ]);
  try {
    const reader = createReader({
      api: parseApiUrl(stub.apiUrl),
      retries: 0,
      timeoutMs: 5000,
      apiKey: 'pnu_key',
    });
    assert.deepEqual(await reader.post('/events/filter', { limit: 50 }), { events: [] });
    assert.deepEqual(await reader.get(`${stub.apiUrl}/events/filter/next?page-token=x`), [1]);
    await assert.rejects(reader.get('/flow_runs/1'), {
      name: 'ReadError',
      message: `GET ${stub.apiUrl}/flow_runs/1 answered 200 with a body that is not JSON.`,
    });
    await assert.rejects(reader.get('https://elsewhere.example/api/events/filter/next'), (error) => {
      assert.ok(error instanceof ReadError);
      assert.equal(
        error.message,
        "The server pointed at https://elsewhere.example, which is not the API's origin; it was not followed.",
      );
      return true;
    });
    assert.equal(reader.requests, 3);
    assert.deepEqual(
      stub.requests.map((r) => [r.method, r.url, r.headers.authorization, r.body]),
      [
        ['POST', '/api/events/filter', 'Bearer pnu_key', '{"limit":50}'],
        ['GET', '/api/events/filter/next?page-token=x', 'Bearer pnu_key', ''],
        ['GET', '/api/flow_runs/1', 'Bearer pnu_key', ''],
      ],
    );
  } finally {
    await stub.close();
  }
});
