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

// Runner state reaches the post step as an environment variable; Linux refuses a single one over 128 KiB.
export const MAX_STATE_CHARACTERS = 100_000;
export const START_KEY = 'start-event';

export interface StateStore {
  saveState(name: string, value: string): void;
  getState(name: string): string;
}

/**
 * Saves the start event for the post step. Returns false when even without its related resources it would
 * not fit the runner's state; with them too large, they are left out of the end event (the caller says so).
 */
export function saveStartOfJob(store: StateStore, event: PrefectEvent): 'saved' | 'without related' {
  const start: StartOfJob = {
    id: event.id,
    occurred: event.occurred,
    resource: event.resource,
    related: event.related,
  };
  let text = JSON.stringify(start);
  let result: 'saved' | 'without related' = 'saved';
  if (text.length > MAX_STATE_CHARACTERS) {
    text = JSON.stringify({ ...start, related: [] });
    result = 'without related';
  }
  store.saveState(START_KEY, text);
  return result;
}

/** The start event the main step saved; undefined when it saved none (no job-end-event, or no event built). */
export function loadStartOfJob(store: StateStore): StartOfJob | undefined {
  const text = store.getState(START_KEY);
  if (!text) return undefined;
  const start = JSON.parse(text) as StartOfJob;
  return typeof start.id === 'string' && typeof start.occurred === 'string' ? start : undefined;
}
