// EventSpec: what a step asked for, before the workflow context, the clock and the server's rules make it
// an event; with, for each part, the words that name where it came from, so an error can say so.
import type { EarlierEvent } from './follows.ts';
import type { Labels } from './schema.ts';

export type SpecField = 'event' | 'resource' | 'related' | 'payload' | 'occurred' | 'id' | 'follows';

export interface EventSpec {
  event: string;
  /** Absent: the workflow-run resource is the primary resource. */
  resource?: Labels;
  related: Labels[];
  payload: Record<string, unknown>;
  /** Absent: now. */
  occurred?: Date;
  /** Absent: a new UUID v7. */
  id?: string;
  follows?: EarlierEvent;
  /** For each part, its source as an error names it: `Input "payload-file"`, `Input "events[3].payload"`. */
  origin: Record<SpecField, string>;
}

/** The same origin for every part: a spec given by one input (or one item) as a whole. */
export function originOf(name: string): Record<SpecField, string> {
  return {
    event: name,
    resource: name,
    related: name,
    payload: name,
    occurred: name,
    id: name,
    follows: name,
  };
}
