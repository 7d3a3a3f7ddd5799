// The README's input and output reference must match action.yml: every name, and every default.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { declared } from '../../tools/action-yml.ts';

const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');

/** Rows of the README table under `## Inputs` / `## Outputs`: name -> second cell. */
function table(heading: string): Map<string, string> {
  const body = new RegExp(`^## ${heading}\\n([\\s\\S]*?)(?=^## )`, 'm').exec(readme)?.[1] ?? '';
  const rows = new Map<string, string>();
  for (const match of body.matchAll(/^\| `([a-z-]+)`\s*\|\s*([^|]*?)\s*\|/gm))
    rows.set(match[1] ?? '', match[2] ?? '');
  return rows;
}

test('the README lists every input of action.yml with its default, and no other', () => {
  const inputs = declared('inputs');
  const rows = table('Inputs');
  assert.deepEqual([...rows.keys()].sort(), [...inputs.keys()].sort());
  for (const [name, fallback] of inputs) {
    if (fallback !== '') assert.equal(rows.get(name), `\`${fallback}\``, `default of ${name}`);
  }
});

test('the README lists every output of action.yml, and no other', () => {
  assert.deepEqual([...table('Outputs').keys()].sort(), [...declared('outputs').keys()].sort());
});
