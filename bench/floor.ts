// The floor: the least a Node process can do to deliver one event. It starts, POSTs one ~1 kB Prefect event
// with node:http, reads the answer and exits. The action cannot be faster than this, so the bench reports
// the action's figures as ratios to these.
//
// Usage: node bench/floor.ts [URL]   (default: $BENCH_EVENTS_URL), URL being the full `.../events` URL.
// The bench runs it as the JavaScript esbuild strips it to: Node's type stripping would slow the floor down.
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Buffer } from 'node:buffer';

const url = process.argv[2] ?? process.env.BENCH_EVENTS_URL;
if (!url) {
  console.error('usage: node bench/floor.ts URL (or set BENCH_EVENTS_URL)');
  process.exit(2);
}

// Shaped like the action's event (a workflow-run resource and a few related ones) so the body is about the
// same size; the server counts it by its name, `bench.floor.emitted`.
const run = 'github.run.octo-org.octo-repo.1234567890';
const event = {
  id: randomUUID(),
  occurred: new Date().toISOString(),
  event: 'bench.floor.emitted',
  resource: { 'prefect.resource.id': run, 'prefect.resource.name': 'Release #42' },
  related: [
    { 'prefect.resource.id': 'github.repository.octo-org.octo-repo', 'prefect.resource.role': 'repository' },
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
};
const body = JSON.stringify([event]);

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
req.on('error', (err: Error) => {
  console.error(`floor: ${err.message}`);
  process.exitCode = 1;
});
req.end(body);
