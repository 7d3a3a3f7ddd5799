// The job summary of a reported workflow run: GitHub's strings escaped, links only to http(s) pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PrefectEvent } from '../../src/event/schema.ts';
import type { Job, WorkflowRun } from '../../src/github/workflow-run.ts';
import { runSummaryMarkdown } from '../../src/report/run-summary.ts';
import { exampleJob, exampleRun } from '../support/github-runs.ts';

/** The summary of a dry run of `run` with `jobs`, each completed and reported. */
const summaryOf = (
  run: Record<string, unknown>,
  jobs: Record<string, unknown>[],
  events: PrefectEvent[] = [],
) =>
  runSummaryMarkdown({
    run: run as unknown as WorkflowRun,
    jobs: jobs as unknown as Job[],
    unfinishedJobs: 0,
    events,
    outcome: 'dry run',
    emittedCount: 0,
  });

test('a job name cannot open a cell, a tag or a link, and a page that is not http(s) is no link', () => {
  const job = exampleJob(exampleRun(), 0, {
    name: 'build | <img src=x onerror=alert(1)> [a](javascript:alert(1))',
    html_url: 'javascript:alert(1)',
  });
  const markdown = summaryOf(exampleRun({ name: 'CI | <b>x</b>' }), [job]);
  const row = markdown.split('\n').find((line) => line.startsWith('| build'));
  assert.equal(
    row,
    '| build &#124; &#60;img src=x onerror=alert&#40;1&#41;&#62; &#91;a&#93;&#40;javascript&#58;alert&#40;1&#41;&#41; | ✅ success | 1 min 0 s | 2026-03-02T10:01:00Z |',
  );
  assert.match(markdown, /^### Workflow run CI &#124; &#60;b&#62;x&#60;\/b&#62; #562: failure$/m);
});

test("a page's quote, backtick or bracket cannot end the link or open a code span: encoded as every summary link is", () => {
  const job = exampleJob(exampleRun(), 0, {
    name: 'build',
    html_url: "https://github.com/octo-org/octo-repo/actions/runs/1/job/2?a='b`c[d]",
  });
  const markdown = summaryOf(exampleRun(), [job]);
  assert.match(
    markdown,
    /^\| \[build\]\(https:\/\/github\.com\/octo-org\/octo-repo\/actions\/runs\/1\/job\/2\?a=%27b%60c%5Bd%5D\) \|/m,
  );
});

test('a run without jobs (GitHub could not start its workflow): its own event, and no empty table', () => {
  const markdown = summaryOf(exampleRun({ conclusion: 'startup_failure' }), [], [{} as PrefectEvent]);
  assert.equal(
    markdown,
    [
      '### Workflow run Build #562: startup&#95;failure',
      '',
      '🧪 dry run: not sent: 1 event for the run, which has no job. Open [the run on GitHub](https://github.com/octo-org/octo-repo/actions/runs/30433642).',
      '',
    ].join('\n'),
  );
});
