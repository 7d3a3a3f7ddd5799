// The floor for a batch: the least a Node process can do to deliver the events of a JSON Lines file. It
// starts, reads the file, gives every item an id and an occurred time, POSTs them all in one request with
// node:http, reads the answer and exits. The bench compares `events-file` with this.
//
// Usage: node bench/floor-batch.ts URL FILE   URL being the full `.../events` URL, FILE the JSON Lines file.
// Like bench/floor.ts it imports node:http the plain way and runs as the JavaScript esbuild strips it to.
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';

const [url, file] = process.argv.slice(2);
if (!url || !file) {
  console.error('usage: node bench/floor-batch.ts URL FILE');
  process.exit(2);
}

// The related resources the action adds to every event from the workflow context (tools/runner.ts's run),
// label for label, so that both POST bodies are the same size (about 1.2 kB an event).
const run = 'https://github.com/octo-org/octo-repo';
const sha = 'ffac537e6cbbf934b08745a378932722df287a53';
const related = [
  {
    'prefect.resource.id': 'github.workflow-run.1234567890',
    'prefect.resource.role': 'workflow-run',
    'prefect.resource.name': 'Release',
    'github.run-number': '42',
    'github.run-attempt': '2',
    'github.job': 'build',
    'github.event-name': 'push',
    'github.repository': 'octo-org/octo-repo',
    'github.url': `${run}/actions/runs/1234567890`,
  },
  {
    'prefect.resource.id': `github.commit.${sha}`,
    'prefect.resource.role': 'commit',
    'github.repository': 'octo-org/octo-repo',
    'github.ref': 'refs/heads/main',
    'github.url': `${run}/commit/${sha}`,
  },
  {
    'prefect.resource.id': 'github.repository.octo-org/octo-repo',
    'prefect.resource.role': 'repository',
    'prefect.resource.name': 'octo-org/octo-repo',
    'github.url': run,
  },
  {
    'prefect.resource.id': 'github.user.octocat',
    'prefect.resource.role': 'actor',
    'prefect.resource.name': 'octocat',
    'github.url': 'https://github.com/octocat',
  },
];

const occurred = new Date().toISOString();
const events = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => ({ occurred, related, ...(JSON.parse(line) as object), id: randomUUID(), follows: null }));
const body = JSON.stringify(events);

const req = request(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
});
req.on('response', (res) => {
  res.resume(); // drain (the 204 has no body) so the socket is released and the process can exit
  if (res.statusCode !== 204) {
    console.error(`floor-batch: expected 204, got ${res.statusCode}`);
    process.exitCode = 1;
  }
});
req.on('error', (err: Error) => {
  console.error(`floor-batch: ${err.message}`);
  process.exitCode = 1;
});
req.end(body);
