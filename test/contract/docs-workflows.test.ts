// Every complete workflow the README and docs/ show can be copied as it stands: each job that uses the action
// gets the API URL and a credential, in the one convention the docs use (PREFECT_API_URL from vars, the key or
// the auth string from secrets, in the job's or the workflow's env:). A workflow copied without them would go
// green and send nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load as parseYaml } from 'js-yaml';
import { codeBlocks } from '../support/doc-pages.ts';

type Env = Record<string, unknown> | undefined;
interface Job {
  env?: Env;
  steps?: { uses?: string }[];
}
interface Workflow {
  env?: Env;
  jobs?: Record<string, Job>;
}

const ACTION = 'your-org/emit-prefect-event@';
const API_URL = '${{ vars.PREFECT_API_URL }}';
const CREDENTIALS: Record<string, string> = {
  PREFECT_API_KEY: '${{ secrets.PREFECT_API_KEY }}',
  PREFECT_API_AUTH_STRING: '${{ secrets.PREFECT_API_AUTH_STRING }}',
};

const workflows = codeBlocks().filter((b) => b.language === 'yaml' && /^jobs:/m.test(b.text));

test('the README and docs/ show complete workflows', () => {
  assert.ok(workflows.length > 0, 'no ```yaml block with a top-level "jobs:" found');
});

for (const block of workflows) {
  test(`every job of the workflow at ${block.label} that uses the action has credentials`, () => {
    const workflow = parseYaml(block.text) as Workflow;
    for (const [name, job] of Object.entries(workflow.jobs ?? {})) {
      if (!(job.steps ?? []).some((step) => step.uses?.startsWith(ACTION))) continue;
      const env = { ...workflow.env, ...job.env };
      assert.equal(
        env.PREFECT_API_URL,
        API_URL,
        `${block.label}: job "${name}" needs PREFECT_API_URL: ${API_URL}`,
      );
      const given = Object.keys(CREDENTIALS).filter((variable) => env[variable] === CREDENTIALS[variable]);
      assert.ok(
        given.length === 1,
        `${block.label}: job "${name}" needs one credential in env: PREFECT_API_KEY: ` +
          `${CREDENTIALS.PREFECT_API_KEY} (or PREFECT_API_AUTH_STRING from secrets)`,
      );
    }
  });
}
