// One item of `events` / `events-file` (already parsed, from JSON, JSON Lines or YAML) -> an EventSpec whose
// every part names the item: `Input "events[3].resource"`, or with a file's line
// `Input "events-file[3].resource" (target/prefect-events.jsonl line 5)`.
import type { Labels } from '../event/schema.ts';
import type { EventSpec, SpecField } from '../event/spec.ts';
import { relatedOf, resourceOf } from './resource.ts';
import { earlierEventOf, parseEventName, parseTimestampInput, parseUuid } from './scalars.ts';
import { InputError, inputLabel } from './source.ts';
import { describeJsonType, objectOf } from './values.ts';

/** Where an item sits, as messages name it. */
export interface ItemPlace {
  /** `events` or `events-file`. */
  input: string;
  /** 0-based, as in a JSON array; blank lines of JSON Lines do not count. */
  index: number;
  /** The file, as messages show it (events-file). */
  file?: string;
  /** 1-based, when the format has lines (JSON Lines, YAML). */
  line?: number;
}

/** Said after the name when known: `line 5` (in the input), `target/e.jsonl line 5`, `target/e.json`. */
function whereOf(place: ItemPlace): string | undefined {
  const line = place.line === undefined ? undefined : `line ${place.line}`;
  return place.file !== undefined && line !== undefined ? `${place.file} ${line}` : (place.file ?? line);
}

/** What the `resource` and `related` inputs give every item. */
export interface BatchDefaults {
  /** For items without a `resource`; absent: the workflow run. */
  resource?: Labels;
  /** Added to every item's own related resources, before them. */
  related: Labels[];
}

const FIELDS: readonly SpecField[] = ['event', 'resource', 'related', 'payload', 'occurred', 'id', 'follows'];

/** `events[3]`, `events[3].resource`. */
export function itemName(place: ItemPlace, field?: string): string {
  return `${place.input}[${place.index}]${field === undefined ? '' : `.${field}`}`;
}

/** How an error names the item or one of its fields: `Input "events[3].resource" (e.jsonl line 5)`. */
function itemLabel(place: ItemPlace, field?: string): string {
  const label = inputLabel(itemName(place, field));
  const where = whereOf(place);
  return where === undefined ? label : `${label} (${where})`;
}

/** A one-sentence error about the item or a field of it: `problem` follows the item's label. */
export function itemError(place: ItemPlace, field: string | undefined, problem: string): InputError {
  const where = whereOf(place);
  return new InputError(itemName(place, field), where === undefined ? problem : `(${where}) ${problem}`);
}

/**
 * Runs a value parser of inputs/ that names what it parses, and puts `where` (a file's line) into its
 * errors right after the name, where every message of the action says where the problem is.
 */
export function locating<T>(name: string, where: string | undefined, parse: (name: string) => T): T {
  try {
    return parse(name);
  } catch (error) {
    if (error instanceof InputError && error.input === name && where !== undefined) {
      throw new InputError(name, `(${where}) ${error.problem}`);
    }
    throw error;
  }
}

/**
 * `locating` for the item or one of its fields. The parsers of inputs/ use the name they are given only in
 * their errors, and nearly every item of a batch parses: the item's name and place are worded only when a
 * parse fails, by parsing again with them, which fails the same way.
 */
export function inItem<T>(place: ItemPlace, field: string | undefined, parse: (name: string) => T): T {
  try {
    return parse(UNNAMED);
  } catch {
    return locating(itemName(place, field), whereOf(place), parse);
  }
}

// What a parser is told it parses until it fails.
const UNNAMED = 'item';

/**
 * Where each part of an item came from, worded only when an error asks: seven strings an item, built up
 * front, would cost a batch far more memory than its events (2.4 kB an item, measured, against 160 bytes
 * of JSON Lines text).
 */
class ItemOrigin implements Record<SpecField, string> {
  // The place's parts, not the place: one object fewer kept for each item of a batch until it is sent.
  readonly #input: string;
  readonly #index: number;
  readonly #file: string | undefined;
  readonly #line: number | undefined;
  // Whether `resource` and `related` are the item's own, or (when not) the step-wide inputs'.
  readonly #ownResource: boolean;
  readonly #ownRelated: boolean;
  constructor(place: ItemPlace, ownResource: boolean, ownRelated: boolean) {
    this.#input = place.input;
    this.#index = place.index;
    this.#file = place.file;
    this.#line = place.line;
    this.#ownResource = ownResource;
    this.#ownRelated = ownRelated;
  }
  get #place(): ItemPlace {
    return {
      input: this.#input,
      index: this.#index,
      ...(this.#file !== undefined && { file: this.#file }),
      ...(this.#line !== undefined && { line: this.#line }),
    };
  }
  get event(): string {
    return itemLabel(this.#place, 'event');
  }
  get resource(): string {
    return this.#ownResource ? itemLabel(this.#place, 'resource') : inputLabel('resource');
  }
  get related(): string {
    return this.#ownRelated ? itemLabel(this.#place, 'related') : inputLabel('related');
  }
  get payload(): string {
    return itemLabel(this.#place, 'payload');
  }
  get occurred(): string {
    return itemLabel(this.#place, 'occurred');
  }
  get id(): string {
    return itemLabel(this.#place, 'id');
  }
  get follows(): string {
    return itemLabel(this.#place, 'follows');
  }
  /** As a plain object, for whoever serialises a spec. */
  toJSON(): Record<SpecField, string> {
    return Object.fromEntries(FIELDS.map((field) => [field, this[field]])) as Record<SpecField, string>;
  }
}

/** The item as a spec. `follows` holds what the item said; the batch resolves ids of earlier items. */
export function itemSpec(value: unknown, place: ItemPlace, defaults: BatchDefaults): EventSpec {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw itemError(
      place,
      undefined,
      `must be an object with at least an "event" name, not ${describeJsonType(value)}.`,
    );
  }
  const item = value as Record<string, unknown>;
  for (const key of Object.keys(item)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw itemError(
        place,
        undefined,
        `has an unknown key ${JSON.stringify(key)}: an item takes ${FIELDS.map((field) => `"${field}"`).join(', ')}.`,
      );
    }
  }
  if (item.event === undefined) {
    throw itemError(
      place,
      undefined,
      'has no "event": every item needs an event name, e.g. {"event": "acme.model.deployed"}.',
    );
  }
  // Thrown under the name it is given: inItem adds the item's place to it (once).
  const text = (name: string, field: SpecField, what: string): string => {
    const given = item[field];
    if (typeof given === 'string') return given;
    throw new InputError(name, `must be ${what} as a string, not ${describeJsonType(given)}.`);
  };
  const has = (field: SpecField) => item[field] !== undefined && item[field] !== null;
  const event = inItem(place, 'event', (name) => parseEventName(name, text(name, 'event', 'the event name')));
  const related = has('related') ? inItem(place, 'related', (name) => relatedOf(name, item.related)) : [];
  const resource = has('resource')
    ? inItem(place, 'resource', (name) => resourceOf(name, item.resource))
    : defaults.resource;
  const spec: EventSpec = {
    event,
    // Shared by every item, not copied: a batch holds the input's related resources once.
    related: related.length === 0 ? defaults.related : [...defaults.related, ...related],
    payload: has('payload') ? inItem(place, 'payload', (name) => objectOf(name, item.payload)) : {},
    origin: new ItemOrigin(
      place,
      has('resource') || !defaults.resource,
      has('related') || defaults.related.length === 0,
    ),
  };
  // Set one by one rather than spread from objects made for the purpose: four objects fewer an item.
  if (resource) spec.resource = resource;
  if (has('occurred')) {
    spec.occurred = inItem(place, 'occurred', (name) =>
      parseTimestampInput(name, text(name, 'occurred', 'an ISO 8601 timestamp')),
    );
  }
  if (has('id')) spec.id = inItem(place, 'id', (name) => parseUuid(name, text(name, 'id', 'a UUID')));
  if (has('follows')) spec.follows = inItem(place, 'follows', (name) => followsOf(name, item.follows));
  return spec;
}

/** An event id (an earlier item's, or any event's) or the `event` output of an earlier step, as an object. */
function followsOf(name: string, value: unknown): { id: string; occurred?: Date } {
  if (typeof value === 'string') return { id: parseUuid(name, value) };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return earlierEventOf(name, value as Record<string, unknown>);
  }
  throw new InputError(
    name,
    `must be an event id (an earlier item's "id") or an earlier step's "event" output, not ${describeJsonType(value)}.`,
  );
}
