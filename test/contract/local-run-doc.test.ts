// docs/local-run.md, the guide to the local run, documents every flag of scripts/dry-run.ts and names only
// triggers the local run knows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { OWN_FLAGS } from '../../scripts/dry-run.ts';
import { TRIGGER_NAMES } from '../../tools/triggers.ts';

const guide = readFileSync(resolve(import.meta.dirname, '../../docs/local-run.md'), 'utf8');

test('every flag of the local run has its row in the guide', () => {
  for (const flag of OWN_FLAGS) assert.match(guide, new RegExp(`^\\| \`--${flag}[ \`]`, 'm'), `--${flag}`);
});

test('every --trigger the guide shows is one the local run knows', () => {
  const shown = [...guide.matchAll(/--trigger ([a-z_]+)/g)].map((match) => match[1] ?? '');
  const rows = [...guide.matchAll(/^\| `([a-z_]+)`(?:, `([a-z_]+)`)?/gm)].flatMap((match) => match.slice(1));
  const names = [...shown, ...rows.filter((name): name is string => name !== undefined)];
  assert.ok(names.includes('deployment_status') && names.includes('schedule'), names.join(', '));
  for (const name of names) assert.ok(TRIGGER_NAMES.includes(name), name);
});
