// The README's input and output reference must match action.yml: every name, and every default.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..');
const actionYml = readFileSync(resolve(root, 'action.yml'), 'utf8');
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');

/** The entries of a top-level section of action.yml: name -> its default ('' when none). */
function section(name: 'inputs' | 'outputs'): Map<string, string> {
  const body = new RegExp(`^${name}:\\n([\\s\\S]*?)(?=^\\S)`, 'm').exec(actionYml)?.[1] ?? '';
  const entries = new Map<string, string>();
  for (const block of body.split(/^(?= {2}[a-z])/m).filter((b) => b.trim())) {
    const key = /^ {2}([a-z-]+):/.exec(block)?.[1];
    const fallback = /^ {4}default: '?([^'\n]*)'?$/m.exec(block)?.[1] ?? '';
    if (key) entries.set(key, fallback);
  }
  return entries;
}

/** Rows of the README table under `## Inputs` / `## Outputs`: name -> second cell. */
function table(heading: string): Map<string, string> {
  const body = new RegExp(`^## ${heading}\\n([\\s\\S]*?)(?=^## )`, 'm').exec(readme)?.[1] ?? '';
  const rows = new Map<string, string>();
  for (const match of body.matchAll(/^\| `([a-z-]+)`\s*\|\s*([^|]*?)\s*\|/gm))
    rows.set(match[1] ?? '', match[2] ?? '');
  return rows;
}

test('the README lists every input of action.yml with its default, and no other', () => {
  const inputs = section('inputs');
  const rows = table('Inputs');
  assert.deepEqual([...rows.keys()].sort(), [...inputs.keys()].sort());
  for (const [name, fallback] of inputs) {
    if (fallback !== '') assert.equal(rows.get(name), `\`${fallback}\``, `default of ${name}`);
  }
});

test('the README lists every output of action.yml, and no other', () => {
  assert.deepEqual([...table('Outputs').keys()].sort(), [...section('outputs').keys()].sort());
});
