// `npm run lint` checks action.yml as the Marketplace will: GitHub's schema, then a description under 125
// characters and an author that is not the action's name.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { ACTION_YML } from '../../tools/action-yml.ts';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/check-action-metadata.mjs');

function check(file: string) {
  return spawnSync(process.execPath, [SCRIPT, file], { encoding: 'utf8' });
}

test('action.yml passes', () => {
  const run = check(ACTION_YML);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, `Action metadata OK: ${ACTION_YML}\n`);
});

test('a description of 125 characters and an author repeating the name are refused, each named', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'emit-prefect-event-metadata-')), 'action.yml');
  const description = `Emit ${'x'.repeat(120)}`;
  const action = readFileSync(ACTION_YML, 'utf8')
    .replace(/^description: [\s\S]*?(?=^author:)/m, `description: ${description}\n`)
    .replace(/^author: .*$/m, 'author: emit-prefect-event');
  writeFileSync(file, action);
  const run = check(file);
  assert.equal(run.status, 1);
  assert.equal(
    run.stderr,
    `${file}: description has 125 characters; the Marketplace refuses to publish 125 or more.\n` +
      `${file}: author "emit-prefect-event" repeats the action's name "Emit Prefect Event": name who ` +
      'publishes it.\n2 error(s) in action metadata.\n',
  );
  writeFileSync(
    file,
    action.replace(description, description.slice(1)).replace(/^author: .*$/m, 'author: Acme'),
  );
  assert.equal(check(file).status, 0);
});
