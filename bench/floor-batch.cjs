// The floor for a batch: the least a Node process can do to deliver the events of a JSON Lines file, as a
// user would write it by hand. It starts, reads the file, makes every item a Prefect event with an id, an
// occurred time and the same workflow-context related resources as the action adds, POSTs them in bodies
// under Prefect Cloud's 5 MiB cap one after the other with node:http, and exits. The action sends exactly
// these bytes (the same items, keys in the same order, the same number of requests); only the ids differ.
//
// CommonJS on purpose, for the reason bench/floor.cjs gives: an ES module importing node:http pays ~25 ms
// for built-in modules it never uses.
//
// Usage: node bench/floor-batch.cjs URL FILE   URL being the full `.../events` URL, FILE the JSON Lines file.
'use strict';
const { request } = require('node:http');
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');

const [url, file] = process.argv.slice(2);
if (!url || !file) {
  console.error('usage: node bench/floor-batch.cjs URL FILE');
  process.exit(2);
}
const MAX_BODY_BYTES = 5 * 1024 * 1024;

// The related resources the action adds to every event from the workflow context (tools/runner.ts's run),
// label for label.
const repo = 'https://github.com/octo-org/octo-repo';
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
    'github.url': `${repo}/actions/runs/1234567890`,
  },
  {
    'prefect.resource.id': `github.commit.${sha}`,
    'prefect.resource.role': 'commit',
    'github.repository': 'octo-org/octo-repo',
    'github.ref': 'refs/heads/main',
    'github.url': `${repo}/commit/${sha}`,
  },
  {
    'prefect.resource.id': 'github.repository.octo-org/octo-repo',
    'prefect.resource.role': 'repository',
    'prefect.resource.name': 'octo-org/octo-repo',
    'github.url': repo,
  },
  {
    'prefect.resource.id': 'github.user.octocat',
    'prefect.resource.role': 'actor',
    'prefect.resource.name': 'octocat',
    'github.url': 'https://github.com/octocat',
  },
];

// The request bodies, `[event,event,...]` each as large as fits under the cap, built one at a time as the
// previous one is answered: only the file's text and one body are held at once.
const occurred = new Date().toISOString();
const lines = readFileSync(file, 'utf8').split('\n');
let next = 0;
let pending;

function nextBody() {
  const parts = pending ? [pending] : [];
  let size = 2 + (pending ? Buffer.byteLength(pending) : 0);
  pending = undefined;
  while (next < lines.length) {
    const line = lines[next++];
    if (line.trim() === '') continue;
    const { event, resource, payload } = JSON.parse(line);
    const text = JSON.stringify({
      occurred,
      event,
      resource,
      related,
      payload,
      id: randomUUID(),
      follows: null,
    });
    const bytes = Buffer.byteLength(text);
    if (parts.length > 0 && size + 1 + bytes > MAX_BODY_BYTES) {
      pending = text;
      break;
    }
    size += (parts.length > 0 ? 1 : 0) + bytes;
    parts.push(text);
  }
  return parts.length > 0 ? `[${parts.join(',')}]` : undefined;
}

function post(body) {
  const req = request(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
  });
  req.on('response', (res) => {
    res.resume(); // drain (the 204 has no body) so the socket is released and the process can exit
    if (res.statusCode !== 204) {
      console.error(`floor-batch: expected 204, got ${res.statusCode}`);
      process.exitCode = 1;
      return;
    }
    const following = nextBody();
    if (following) post(following);
  });
  req.on('error', (err) => {
    console.error(`floor-batch: ${err.message}`);
    process.exitCode = 1;
  });
  req.end(body);
}
post(nextBody());
