// The entries for @github/local-action: each module exports the run() it calls (src/local.ts the main step,
// src/local-post.ts the post step), and the post entry ends the job the main entry started when it gets the
// main entry's saved state, as local-action hands it over in one process and the runner as STATE_*.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { runSteps } from '../../tools/runner.ts';

const SRC = resolve(import.meta.dirname, '../../src');

/** A script that imports an entry and calls its run(), as local-action does. */
function caller(dir: string, entry: string): string {
  const path = join(dir, `${entry}.mjs`);
  const url = pathToFileURL(join(SRC, `${entry}.ts`)).href;
  writeFileSync(path, `const { run } = await import(${JSON.stringify(url)});\nawait run();\n`);
  return path;
}

test('src/local.ts and src/local-post.ts export run(): the main step, then the end event of the job', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emit-prefect-event-local-'));
  const { main, post } = await runSteps({
    entry: caller(dir, 'local'),
    postEntry: caller(dir, 'local-post'),
    inputs: { event: 'acme.job.started', 'job-end-event': 'acme.job.{status}', 'dry-run': 'true' },
    post: { jobStatus: 'cancelled' },
  });
  assert.equal(main.exitCode, 0, main.stdout + main.stderr);
  assert.equal(post.exitCode, 0, post.stdout + post.stderr);
  const start = JSON.parse(main.outputs.event ?? '') as { id: string };
  const end = JSON.parse(post.outputs.event ?? '') as { event: string; payload: Record<string, unknown> };
  assert.equal(end.event, 'acme.job.cancelled');
  assert.equal(end.payload.start_event_id, start.id);
});
