// The floor: the least a Node process can do to deliver one event, and what a user would write by hand. It
// starts, builds one ~1 kB Prefect event, POSTs it with node:http, reads the answer and exits. The bench
// reports the action's figures as ratios to this.
//
// CommonJS on purpose: in Node 24 an ES module's `import { request } from 'node:http'` builds the module's
// namespace, which runs every lazy getter of node:http (WebSocket, EventSource ... from undici) and loads
// ~75 more built-in modules (tls, http2, zlib, worker_threads ...): about 25 ms, as long as the rest of
// this script. `require('node:http')` runs none of them. An ESM floor would flatter whatever it is compared
// with, so the floor is the cheaper way, as a user writing this by hand would load it.
//
// Usage: node bench/floor.cjs URL   URL being the full `.../events` URL.
'use strict';
const { request } = require('node:http');
const { randomUUID } = require('node:crypto');

const url = process.argv[2];
if (!url) {
  console.error('usage: node bench/floor.cjs URL');
  process.exit(2);
}

// Shaped like the action's event (a workflow-run resource and a few related ones) so the body is about the
// same size; the server counts it by its name, `bench.floor.emitted`.
const run = 'github.run.octo-org.octo-repo.1234567890';
const body = JSON.stringify([
  {
    id: randomUUID(),
    occurred: new Date().toISOString(),
    event: 'bench.floor.emitted',
    resource: { 'prefect.resource.id': run, 'prefect.resource.name': 'Release #42' },
    related: [
      {
        'prefect.resource.id': 'github.repository.octo-org.octo-repo',
        'prefect.resource.role': 'repository',
      },
      {
        'prefect.resource.id': 'github.commit.octo-org.octo-repo.0123456789abcdef0123456789abcdef01234567',
        'prefect.resource.role': 'commit',
      },
      { 'prefect.resource.id': 'github.actor.octocat', 'prefect.resource.role': 'actor' },
      {
        'prefect.resource.id': 'github.workflow.octo-org.octo-repo.Release',
        'prefect.resource.role': 'workflow',
      },
    ],
    payload: {
      bench: true,
      ref: 'refs/heads/main',
      run_url: 'https://github.com/octo-org/octo-repo/actions/runs/1234567890/attempts/1',
      job: 'build',
      event_name: 'push',
      sha: '0123456789abcdef0123456789abcdef01234567',
      actor: 'octocat',
      repository: 'octo-org/octo-repo',
    },
  },
]);

const req = request(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
});
req.on('response', (res) => {
  res.resume(); // drain (the 204 has no body) so the socket is released and the process can exit
  if (res.statusCode !== 204) {
    console.error(`floor: expected 204, got ${res.statusCode}`);
    process.exitCode = 1;
  }
});
req.on('error', (err) => {
  console.error(`floor: ${err.message}`);
  process.exitCode = 1;
});
req.end(body);
