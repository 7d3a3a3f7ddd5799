// PREFECT_UI_URL end to end (dist/index.js, then dist/post.js, in the runner sandbox): the links in the log,
// the url output and the job summary are made of the parsed URL; a URL whose text carries a line break (a
// workflow command, a Markdown heading) or credentials is refused in one sentence, and nothing is sent.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runAction, runSteps, type ActionRun } from '../../tools/runner.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';

let stub: PrefectStub;
before(async () => (stub = await startPrefectStub()));
after(() => stub.close());
beforeEach(() => stub.reset());

const inputs = () => ({
  event: 'acme.deploy.started',
  resource: 'acme.deploy.prod',
  'job-end-event': 'acme.deploy.{status}',
  'api-url': stub.apiUrl,
});

const INJECTION = 'https://ui.example.com/x\n::warning title=INJECTED::pwned\n## INJECTED <img src=x>';
const EXAMPLE = 'give one http(s) URL such as https://app.prefect.cloud/account/…/workspace/….';

/** Nothing of the injected text anywhere a user or the runner reads it. */
function assertClean(run: ActionRun, ...words: string[]): void {
  for (const word of words) {
    for (const [where, text] of [
      ['the log', run.stdout + run.stderr],
      ['the summary', run.summary],
      ['the outputs', JSON.stringify(run.outputs)],
    ]) {
      assert.equal(text?.includes(word), false, `${word} in ${where}: ${text}`);
    }
  }
}

describe('PREFECT_UI_URL holding a line break', () => {
  test('the main step fails naming the variable and the character; no command, no heading, nothing sent', async () => {
    const { main, post } = await runSteps({ inputs: inputs(), env: { PREFECT_UI_URL: INJECTION } });
    assert.equal(main.exitCode, 1);
    assert.equal(main.stdout, `::error::PREFECT_UI_URL must not hold a line break (\\n): ${EXAMPLE}\n`);
    assert.deepEqual(main.outputs, {});
    assert.equal(main.summary, '');
    // The main step built no event to hand on: the post step has nothing to end.
    assert.equal(post.exitCode, 0);
    assert.equal(post.stdout, '');
    assert.equal(stub.requests.length, 0);
  });

  test('set for the post step alone: the post step fails the same way and sends no end event', async () => {
    const { main, post } = await runSteps({
      inputs: inputs(),
      post: { env: { PREFECT_UI_URL: 'https://ui.example.com/x\r::save-state name=x::y' } },
    });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(post.exitCode, 1);
    assert.equal(post.stdout, `::error::PREFECT_UI_URL must not hold a carriage return (\\r): ${EXAMPLE}\n`);
    assert.equal(post.summary, '');
    assert.deepEqual(post.state, {});
    assert.equal(stub.requests.length, 1);
  });
});

describe('PREFECT_UI_URL holding credentials', () => {
  test('is refused like api-url: the password reaches no log line, output or summary; nothing sent', async () => {
    const run = await runAction({
      inputs: inputs(),
      env: { PREFECT_UI_URL: 'https://admin:ui-s3cret-pw@prefect.example.com/' },
    });
    assert.equal(run.exitCode, 1);
    assert.equal(
      run.stdout,
      '::error::PREFECT_UI_URL must not hold credentials: links to events are shown in the log, the url ' +
        'output and the job summary; give the UI URL without "user:password@".\n',
    );
    assertClean(run, 'ui-s3cret-pw', 'admin');
    assert.equal(stub.requests.length, 0);
  });
});

describe('PREFECT_UI_URL holding what HTML and Markdown read', () => {
  test('the link is the parsed URL, percent-encoded: in the log, the url output and both summaries', async () => {
    const { main, post } = await runSteps({
      inputs: inputs(),
      env: { PREFECT_UI_URL: 'https://ui.example.com/`x`/"><img src=x onerror=alert(1)>/' },
    });
    assert.equal(main.exitCode, 0, main.stdout);
    assert.equal(post.exitCode, 0, post.stdout);
    const base = 'https://ui.example.com/%60x%60/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E';
    for (const [run, request] of [
      [main, stub.requests[0]],
      [post, stub.requests[1]],
    ] as const) {
      const [event] = JSON.parse(request?.body ?? '[]') as { id: string; occurred: string; event: string }[];
      assert.ok(event);
      const url = `${base}/events/event/${event.occurred.slice(0, 10)}/${event.id}`;
      assert.equal(run.outputs.url, url);
      assert.ok(
        run.stdout.includes(`\nEmitted ${event.event} (${event.id}) to ${stub.apiUrl}: ${url}\n`),
        run.stdout,
      );
      const row = run.summary.split('\n').find((line) => line.startsWith('| Prefect |'));
      assert.equal(row, `| Prefect | [Open the event in Prefect](${url.replace('(1)', '%281%29')}) |`);
      assertClean(run, '<img', '`x`');
    }
  });
});
