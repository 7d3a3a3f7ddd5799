// The job summary of a reported workflow run: GitHub's strings escaped, links only to http(s) pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Job, WorkflowRun } from '../../src/github/workflow-run.ts';
import { describeSeconds, runSummaryMarkdown } from '../../src/report/run-summary.ts';
import { exampleJob, exampleRun } from '../support/github-runs.ts';

test('a job name cannot open a cell, a tag or a link, and a page that is not http(s) is no link', () => {
  const run = exampleRun({ name: 'CI | <b>x</b>' }) as unknown as WorkflowRun;
  const job = exampleJob(exampleRun(), 0, {
    name: 'build | <img src=x onerror=alert(1)> [a](javascript:alert(1))',
    html_url: 'javascript:alert(1)',
  }) as unknown as Job;
  const markdown = runSummaryMarkdown({
    run,
    jobs: [job],
    unfinishedJobs: 0,
    events: [],
    outcome: 'dry run',
    emittedCount: 0,
  });
  const row = markdown.split('\n').find((line) => line.startsWith('| build'));
  assert.equal(
    row,
    '| build &#124; &#60;img src=x onerror=alert&#40;1&#41;&#62; &#91;a&#93;&#40;javascript&#58;alert&#40;1&#41;&#41; | ✅ success | 1 min 0 s | 2026-03-02T10:01:00Z |',
  );
  assert.match(markdown, /^### Workflow run CI &#124; &#60;b&#62;x&#60;\/b&#62; #562: failure$/m);
});

test('durations read as a person says them', () => {
  assert.deepEqual([0, 45.4, 61, 3599, 3600, 7322].map(describeSeconds), [
    '0 s',
    '45 s',
    '1 min 1 s',
    '59 min 59 s',
    '1 h 0 min',
    '2 h 2 min',
  ]);
});
