// The Prefect event model: the server's rules and limits as zod schemas, the builder, UUID v7 and the
// `follows` rule. Pure: no runner, no network (DESIGN §2).
import { getRandomValues } from 'node:crypto';
import * as z from 'zod/mini';

// Limits of Prefect's server (src/prefect/settings/models/server/events.py, Prefect 3.8).
export const MAX_EVENT_NAME_LENGTH = 1024;
export const MAX_LABELS_PER_RESOURCE = 500;
export const MAX_RELATED_RESOURCES = 100;
// An event whose JSON is larger than this is accepted with 204 and then silently dropped by the server.
export const MAX_EVENT_BYTES = 1_500_000;
// The server measures the event it stores, which has fields we do not send (`received`, microseconds on the
// timestamps); keep this much room for them so an event near the limit is not dropped.
export const SERVER_ADDED_BYTES = 128;
// Prefect's client sets `follows` only when the two events are this close in time (TIGHT_TIMING).
export const FOLLOWS_WINDOW_MS = 5 * 60 * 1000;

export const RESOURCE_ID = 'prefect.resource.id';
export const RESOURCE_ROLE = 'prefect.resource.role';
export const RESOURCE_NAME = 'prefect.resource.name';

export type Labels = Record<string, string>;

export interface PrefectEvent {
  occurred: string;
  event: string;
  resource: Labels;
  related: Labels[];
  payload: Record<string, unknown>;
  id: string;
  follows: string | null;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

const nonEmpty = (label: string) => (labels: Labels) => (labels[label] ?? '') !== '';

export const resourceSchema = z.record(z.string(), z.string()).check(
  z.refine(nonEmpty(RESOURCE_ID), `needs a non-empty "${RESOURCE_ID}" label`),
  z.refine(
    (labels) => Object.keys(labels).length <= MAX_LABELS_PER_RESOURCE,
    `has more than ${MAX_LABELS_PER_RESOURCE} labels, Prefect's limit for one resource`,
  ),
);

export const relatedResourceSchema = resourceSchema.check(
  z.refine(nonEmpty(RESOURCE_ROLE), `needs a non-empty "${RESOURCE_ROLE}" label`),
);

export const eventSchema = z.object({
  occurred: z.iso.datetime({ offset: true }),
  event: z.string().check(
    z.minLength(1, 'must not be empty'),
    // Python's len(): code points, so a name of 1024 emoji (2048 UTF-16 units) is allowed.
    z.refine(
      (name) => [...name].length <= MAX_EVENT_NAME_LENGTH,
      `must be at most ${MAX_EVENT_NAME_LENGTH} characters`,
    ),
  ),
  resource: resourceSchema,
  related: z
    .array(relatedResourceSchema)
    .check(
      z.maxLength(MAX_RELATED_RESOURCES, `has more than ${MAX_RELATED_RESOURCES} resources, Prefect's limit`),
    ),
  payload: z.record(z.string(), z.unknown()),
  id: z.string().check(z.refine(isUuid, 'must be a UUID')),
  follows: z.nullable(z.string().check(z.refine(isUuid, 'must be a UUID'))),
});

/** Thrown when the event breaks one of the server's rules; `field` is the event's field at fault. */
export class EventError extends Error {
  override name = 'EventError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** Where a zod issue sits, written the way a user would look for it: `related[2]."prefect.resource.role"`. */
export function describePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const text = String(part);
      const quoted = /^[a-z_][a-z0-9_]*$/i.test(text) ? text : JSON.stringify(text);
      return index === 0 ? quoted : `.${quoted}`;
    })
    .join('');
}

/** Checks the event against every rule of Prefect's server; throws EventError with the first broken one. */
export function validateEvent(event: PrefectEvent): PrefectEvent {
  const result = eventSchema.safeParse(event);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? describePath(issue.path) : 'event';
    throw new EventError(
      String(issue?.path[0] ?? 'event'),
      `The event's ${where} ${issue?.message ?? 'is invalid'}.`,
    );
  }
  const bytes = eventBytes(event);
  if (bytes + SERVER_ADDED_BYTES > MAX_EVENT_BYTES) {
    throw new EventError(
      'payload',
      `The event is ${bytes} bytes as JSON; Prefect silently drops events over ${MAX_EVENT_BYTES} bytes ` +
        `(with ${SERVER_ADDED_BYTES} bytes kept for fields the server adds), so it was not sent: ` +
        'make the payload smaller.',
    );
  }
  return event;
}

/** The size of the event's JSON in UTF-8 bytes, the way the server counts it. */
export function eventBytes(event: PrefectEvent): number {
  return Buffer.byteLength(JSON.stringify(event), 'utf8');
}

/** A UUID v7 (RFC 9562): 48 bits of Unix milliseconds, then random bits, so ids sort by time. */
export function uuidv7(nowMs: number = Date.now()): string {
  const bytes = getRandomValues(new Uint8Array(16));
  let time = nowMs;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f); // version 7
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f); // variant 10
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An earlier event to follow: its id, and when it occurred if known (from an `event` output). */
export interface EarlierEvent {
  id: string;
  occurred?: Date;
}

export type FollowsDecision = { follows: string } | { follows: null; reason: string };

/**
 * Prefect's client sets `follows` only when the two events occurred less than 5 minutes apart, in either
 * order; farther apart, ordering by `occurred` is reliable and `follows` would only hold events back.
 */
export function decideFollows(earlier: EarlierEvent, occurred: Date): FollowsDecision {
  if (!earlier.occurred) return { follows: earlier.id };
  const apartMs = Math.abs(occurred.getTime() - earlier.occurred.getTime());
  if (apartMs < FOLLOWS_WINDOW_MS) return { follows: earlier.id };
  const minutes = (apartMs / 60_000).toFixed(1);
  return {
    follows: null,
    reason:
      `"follows" was left out: event ${earlier.id} occurred ${minutes} minutes apart from this one, and Prefect ` +
      'sets follows only for events less than 5 minutes apart (ordering by "occurred" suffices beyond that).',
  };
}

export interface EventParts {
  event: string;
  resource: Labels;
  related: Labels[];
  payload: Record<string, unknown>;
  occurred: Date;
  id: string;
  follows: string | null;
}

/** Assembles the event in the field order of Prefect's own client and checks it against the server's rules. */
export function buildEvent(parts: EventParts): PrefectEvent {
  return validateEvent({
    occurred: parts.occurred.toISOString(),
    event: parts.event,
    resource: parts.resource,
    related: parts.related,
    payload: parts.payload,
    id: parts.id.toLowerCase(),
    follows: parts.follows === null ? null : parts.follows.toLowerCase(),
  });
}
