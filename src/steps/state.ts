// The hand-off from the main step to the post step, through the runner's state (GITHUB_STATE, given back
// to the post step as STATE_*): the keys and their (de)serialisation, in one place.
import type { Labels, PrefectEvent } from '../event/schema.ts';

/** What the post step needs of the job's start event to emit its end. */
export interface StartOfJob {
  id: string;
  occurred: string;
  resource: Labels;
  related: Labels[];
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
): 'saved' | 'without related' | 'too large' {
  const start: StartOfJob = {
    id: event.id,
    occurred: event.occurred,
    resource: event.resource,
    related: event.related,
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

/** The start event the main step saved; undefined when it saved none (no job-end-event, or no event built). */
export function loadStartOfJob(store: StateStore): StartOfJob | undefined {
  const text = store.getState(START_KEY);
  if (!text) return undefined;
  const start = JSON.parse(text) as StartOfJob;
  return typeof start.id === 'string' && typeof start.occurred === 'string' ? start : undefined;
}
