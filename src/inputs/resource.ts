// Resources from inputs: a JSON or YAML object of labels, a bare resource id, or `key=value` lines; related
// resources as a JSON list. Label values arrive as strings, the way Prefect stores them.
import { describePath, resourceProblem, RESOURCE_ID, type Labels } from '../event/schema.ts';
import { InputError, quote } from './source.ts';
import { parseStructured } from './values.ts';

// Label values are strings on the wire; numbers and booleans given in JSON or YAML are taken as their text.
const LABEL_VALUE_TYPES = new Set(['string', 'number', 'boolean']);

function invalid(input: string, path: readonly PropertyKey[], problem: string): InputError {
  const where = path.length > 0 ? ` at ${describePath(path)}` : '';
  return new InputError(input, `is invalid${where}: it ${problem}.`);
}

/**
 * Labels from a parsed JSON or YAML object, values as strings. Built with Object.fromEntries (when not
 * taken as they are) so that a label named `__proto__` stays a label instead of setting the prototype.
 */
function labelsOf(input: string, value: unknown, path: PropertyKey[] = []): Labels {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(input, path, 'must be an object of labels');
  }
  // A plain object of strings already is the labels (a `__proto__` key of JSON is an own label in it).
  if (Object.getPrototypeOf(value) === Object.prototype && holdsOnlyStrings(value)) return value as Labels;
  const entries = Object.entries(value);
  const wrong = entries.find(([, item]) => !LABEL_VALUE_TYPES.has(typeof item));
  if (wrong) {
    throw invalid(
      input,
      [...path, wrong[0]],
      'must be a string, number or boolean (null, arrays and objects are not label values)',
    );
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, String(item)]));
}

/** Whether every own value is a string: a loop over the keys, no array of values for each item of a batch. */
function holdsOnlyStrings(value: object): boolean {
  const labels = value as Record<string, unknown>;
  for (const key in labels) {
    if (Object.hasOwn(labels, key) && typeof labels[key] !== 'string') return false;
  }
  return true;
}

/** A JSON or YAML object of labels, a bare resource id, or `key=value` lines. */
export function parseResource(input: string, text: string): Labels {
  const form = resourceForm(text);
  if (form === 'structured') return resourceOf(input, parseStructured(input, text));
  if (form === 'key=value') return checkedResource(input, parseKeyValueLines(input, text));
  if (/\s/.test(text)) {
    throw new InputError(
      input,
      'must be a JSON or YAML object of labels, a bare resource id without spaces, or key=value lines.',
    );
  }
  return resourceOf(input, text);
}

/** An already parsed resource (an item of `events`): an object of labels, or a bare resource id. */
export function resourceOf(input: string, value: unknown): Labels {
  if (typeof value !== 'string') return checkedResource(input, labelsOf(input, value));
  if (/\s/.test(value)) {
    throw new InputError(input, 'must be an object of labels or a bare resource id without spaces.');
  }
  return checkedResource(input, { [RESOURCE_ID]: value });
}

function checkedResource(input: string, labels: Labels): Labels {
  if (!labels[RESOURCE_ID]) {
    throw new InputError(
      input,
      `has no non-empty "${RESOURCE_ID}" label: give a bare id such as "acme.model.churn", ` +
        `a line "${RESOURCE_ID}=acme.model.churn", or a JSON or YAML object with that label.`,
    );
  }
  const problem = resourceProblem(labels);
  if (problem) throw invalid(input, problem.path, problem.message);
  return labels;
}

/**
 * Which form the text is in, from its first line that says something: `{`/`[` or `key: value` is JSON or
 * YAML, `key=value` (an = before any colon) is lines of labels, and anything else a bare id.
 */
function resourceForm(text: string): 'structured' | 'key=value' | 'bare id' {
  if (/^\s*[[{]/.test(text)) return 'structured';
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  if (first === undefined) return 'key=value'; // only comments: lines of labels with none left
  const equals = first.indexOf('=');
  const colon = /:(\s|$)/.exec(first)?.index ?? -1;
  if (equals >= 0 && (colon < 0 || equals < colon)) return 'key=value';
  return colon >= 0 ? 'structured' : 'bare id';
}

function parseKeyValueLines(input: string, text: string): Labels {
  const entries: [string, string][] = [];
  const lineOfKey = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    const key = equals > 0 ? line.slice(0, equals).trim() : '';
    if (key === '') {
      throw new InputError(input, `line ${index + 1} is not a key=value line: ${JSON.stringify(line)}.`);
    }
    // As in JSON and YAML, a second value for a label is refused rather than silently replacing the first.
    const first = lineOfKey.get(key);
    if (first !== undefined) {
      throw new InputError(
        input,
        `line ${index + 1} gives the label ${quote(key)} again (first on line ${first}): give each label once.`,
      );
    }
    lineOfKey.set(key, index + 1);
    entries.push([key, line.slice(equals + 1).trim()]);
  });
  return Object.fromEntries(entries);
}

/** A JSON or YAML list of related resources, each with a non-empty id and role. */
export function parseRelated(input: string, text: string): Labels[] {
  return text === '' ? [] : relatedOf(input, parseStructured(input, text));
}

/** An already parsed list of related resources (an item of `events`). */
export function relatedOf(input: string, list: unknown): Labels[] {
  if (!Array.isArray(list)) throw invalid(input, [], 'must be a list of resources');
  return list.map((item: unknown, index) => {
    const labels = labelsOf(input, item, [index]);
    const problem = resourceProblem(labels, true);
    if (problem) throw invalid(input, [index, ...problem.path], problem.message);
    return labels;
  });
}
