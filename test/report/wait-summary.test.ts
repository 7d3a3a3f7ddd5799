// The wait's table: one row an action, every string from Prefect escaped, our own links only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitSummaryMarkdown } from '../../src/report/wait-summary.ts';

test('a row an action; names from Prefect cannot break the table or become links', () => {
  const markdown = waitSummaryMarkdown('Title', [
    {
      event: 'acme.data.deployed',
      eventId: '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f',
      automation: 'Run | <img src=x> [x](https://evil.example)',
      action: '1. run-deployment: executed',
      flowRun: 'brave-otter',
      state: 'COMPLETED',
      // An id from a server's event: a space and quotes would start a link title, `<` a tag.
      url: 'http://127.0.0.1:4200/runs/flow-run/(1) "t" <b>|',
    },
    {
      event: 'acme.data.checked',
      eventId: '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e60',
      automation: 'no automation fired',
    },
  ]);
  assert.equal(
    markdown,
    [
      '### Title',
      '',
      '| Event | Automation | Action | Flow run | Final state | Link |',
      '| --- | --- | --- | --- | --- | --- |',
      '| acme.data.deployed (0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f) | Run &#124; &#60;img src=x&#62; &#91;x&#93;&#40;https&#58;//evil.example&#41; | 1. run-deployment&#58; executed | brave-otter | COMPLETED | [Open in Prefect](http://127.0.0.1:4200/runs/flow-run/%281%29%20%22t%22%20%3Cb%3E%7C) |',
      '| acme.data.checked (0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e60) | no automation fired | — | — | — | — |',
      '',
    ].join('\n'),
  );
});
