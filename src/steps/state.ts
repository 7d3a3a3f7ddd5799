// The hand-off from the main step to the post step, through the runner's state (GITHUB_STATE, given back
// to the post step as STATE_*): the keys and their (de)serialisation, in one place.
import { describePath, resourceProblem, type Labels, type PrefectEvent } from '../event/schema.ts';
import { isUuid } from '../event/uuid.ts';
import { describeJsonType } from '../inputs/values.ts';
import { parseTimestamp } from '../parse/time.ts';

/** What the post step needs of the job's start event to emit its end. */
export interface StartOfJob {
  id: string;
  occurred: string;
  resource: Labels;
  related: Labels[];
  /** Whether Prefect accepted the start event: only then may the end event follow it (see jobEndSpec). */
  emitted: boolean;
}

/** The saved state is not what saveStartOfJob writes; the message is a whole sentence for the user. */
export class StateError extends Error {
  override name = 'StateError';
}

export const START_KEY = 'start-event';
// Runner state reaches the post step as an environment variable, STATE_<key>=<value>; Linux refuses to start
// a process with one over 128 KiB (in bytes), so the post step would not start at all. Kept well under.
export const MAX_STATE_BYTES = 100_000;

export interface StateStore {
  saveState(name: string, value: string): void;
  getState(name: string): string;
}

/**
 * Saves the start event for the post step, within MAX_STATE_BYTES: without its related resources when they
 * are too large (the end event then carries the resource alone), and not at all when even the resource is.
 */
export function saveStartOfJob(
  store: StateStore,
  event: PrefectEvent,
  emitted: boolean,
): 'saved' | 'without related' | 'too large' {
  const start: StartOfJob = {
    id: event.id,
    occurred: event.occurred,
    resource: event.resource,
    related: event.related,
    emitted,
  };
  const fits = (text: string) => Buffer.byteLength(`STATE_${START_KEY}=${text}`) <= MAX_STATE_BYTES;
  for (const [text, result] of [
    [JSON.stringify(start), 'saved'],
    [JSON.stringify({ ...start, related: [] }), 'without related'],
  ] as const) {
    if (fits(text)) {
      store.saveState(START_KEY, text);
      return result;
    }
  }
  return 'too large';
}

/**
 * The start event the main step saved; undefined when it saved none (no job-end-event, or no event built).
 * What is read back is checked as any input is: a state that is not what saveStartOfJob writes throws
 * StateError (saying what is wrong, never quoting it), so nothing half-read is sent.
 */
export function loadStartOfJob(store: StateStore): StartOfJob | undefined {
  const text = store.getState(START_KEY);
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw stateError('is not JSON');
  }
  const problem = startProblem(value);
  if (problem) throw stateError(problem);
  return value as StartOfJob;
}

/** How messages name the saved state: where the end event's resource and related resources come from. */
export const STATE_LABEL = `The state the main step handed to the post step (STATE_${START_KEY})`;

function stateError(problem: string): StateError {
  return new StateError(
    `${STATE_LABEL} is not what this action saves there: it ${problem}; no job-end event was sent.`,
  );
}

/** What is wrong with the value read back, as a clause ("has an "id" that is not a UUID"), or undefined. */
function startProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `is ${describeJsonType(value)} instead of an object`;
  }
  const start = value as Record<string, unknown>;
  if (typeof start.id !== 'string' || !isUuid(start.id)) return 'has an "id" that is not a UUID';
  if (typeof start.occurred !== 'string' || !isTimestamp(start.occurred)) {
    return 'has an "occurred" that is not an ISO 8601 timestamp';
  }
  const resource = resourceProblem(start.resource);
  if (resource) return `has a ${describePath(['resource', ...resource.path])} that ${resource.message}`;
  if (!Array.isArray(start.related)) return 'has a "related" that is not a list';
  for (const [index, item] of start.related.entries()) {
    const problem = resourceProblem(item, true);
    if (problem) return `has a ${describePath(['related', index, ...problem.path])} that ${problem.message}`;
  }
  if (typeof start.emitted !== 'boolean') return 'has an "emitted" that is not true or false';
  return undefined;
}

function isTimestamp(text: string): boolean {
  try {
    parseTimestamp(text);
    return true;
  } catch {
    return false;
  }
}
