// The inputs and outputs declared in action.yml, read the simple way its layout allows (two-space names,
// four-space `default:`): for the runner sandbox, which passes the defaults as the runner does, for the
// local run, which lists the inputs, and for the tests that must agree with it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ACTION_YML = resolve(import.meta.dirname, '../action.yml');

const text = readFileSync(ACTION_YML, 'utf8');

/** name -> default ('' when it has none), for the top-level section `inputs` or `outputs`. */
export function declared(section: 'inputs' | 'outputs'): Map<string, string> {
  const body = new RegExp(`^${section}:\\n([\\s\\S]*?)(?=^\\S)`, 'm').exec(text)?.[1] ?? '';
  const entries = new Map<string, string>();
  let name = '';
  for (const line of body.split('\n')) {
    const entry = /^ {2}([a-z-]+):$/.exec(line)?.[1];
    if (entry) entries.set((name = entry), '');
    const value = /^ {4}default: (.*)$/.exec(line)?.[1];
    if (value !== undefined && name) entries.set(name, unquote(value.trim()));
  }
  return entries;
}

/** The inputs the runner passes for a step that sets none: every action.yml default, as written. */
export function inputDefaults(): Record<string, string> {
  return Object.fromEntries([...declared('inputs')].filter(([, value]) => value !== ''));
}

/** A YAML scalar as the one-line forms action.yml uses: 'single', "double" or plain. */
function unquote(value: string): string {
  if (/^'.*'$/.test(value)) return value.slice(1, -1).replaceAll("''", "'");
  if (/^".*"$/.test(value)) return JSON.parse(value) as string;
  return value;
}
