// readWorkflowContext: the GITHUB_* variables and the webhook payload, as the runner gives them to a step.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readWorkflowContext } from '../../src/steps/workflow-context.ts';
import { RUNNER_CONTEXT } from '../../tools/runner.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('readWorkflowContext', () => {
  test("the runner's variables and the trigger's payload", () => {
    const path = join(tempDir('emit-prefect-event-context-'), 'event.json');
    writeFileSync(path, '{"ref": "refs/heads/main", "pusher": {"name": "octocat"}}');
    assert.deepEqual(
      readWorkflowContext({ ...RUNNER_CONTEXT, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path }),
      {
        serverUrl: 'https://github.com',
        repository: 'octo-org/octo-repo',
        runId: 1234567890,
        runNumber: 42,
        runAttempt: 2,
        workflow: 'Release',
        job: 'build',
        eventName: 'push',
        sha: RUNNER_CONTEXT.GITHUB_SHA,
        ref: 'refs/heads/main',
        actor: 'octocat',
        payload: { ref: 'refs/heads/main', pusher: { name: 'octocat' } },
      },
    );
  });

  test('outside a workflow run: empty values, no run id, an empty payload', () => {
    const context = readWorkflowContext({ GITHUB_EVENT_PATH: '/nonexistent/event.json' });
    assert.equal(context.runId, 0);
    assert.equal(context.serverUrl, 'https://github.com');
    assert.deepEqual(context.payload, {});
  });

  test('a payload path to something else is refused by name, read no further than a payload could be', () => {
    const dir = tempDir('emit-prefect-event-context-');
    const broken = join(dir, 'event.json');
    writeFileSync(broken, '{"ref": ');
    const cases: [string, string][] = [
      // Reports 0 bytes and holds gigabytes: read whole, it filled the runner's memory.
      ['/proc/self/pagemap', 'is more than 67108864 bytes, more than a webhook payload can be'],
      [dir, 'is a directory'],
      [broken, 'is not valid JSON'],
    ];
    for (const [path, what] of cases) {
      assert.throws(() => readWorkflowContext({ GITHUB_EVENT_PATH: path }), {
        message: `GITHUB_EVENT_PATH names ${JSON.stringify(path)}, which ${what}: it should be the runner's webhook payload.`,
      });
    }
  });
});
