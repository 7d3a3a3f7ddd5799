// .env.example, the dotenv file for @github/local-action, lists every input of action.yml as the runner
// passes it (INPUT_<NAME>, hyphens kept), and no input action.yml does not have.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { declared } from '../../tools/action-yml.ts';

const text = readFileSync(resolve(import.meta.dirname, '../../.env.example'), 'utf8');

test('.env.example sets every input of action.yml, and only those', () => {
  const listed = [...text.matchAll(/^INPUT_([A-Z0-9-]+)=/gm)].map((match) => match[1]);
  const inputs = [...declared('inputs').keys()].map((name) => name.toUpperCase());
  assert.deepEqual(listed.sort(), inputs.sort());
});

test(".env.example gives job-status a status the post step accepts, not action.yml's ${{ job.status }}", () => {
  // local-action would otherwise pass the default expression unevaluated.
  assert.match(text, /^INPUT_JOB-STATUS=success$/m);
});
