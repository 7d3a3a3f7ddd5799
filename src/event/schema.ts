// The Prefect event: its fields, the server's rules and limits, and the checks that refuse, before sending,
// what the server would reject or silently drop. Pure: no runner, no network (DESIGN §2).
import { isUuid } from './uuid.ts';

// Limits of Prefect's server (src/prefect/settings/models/server/events.py, Prefect 3.8).
export const MAX_EVENT_NAME_LENGTH = 1024;
export const MAX_LABELS_PER_RESOURCE = 500;
export const MAX_RELATED_RESOURCES = 100;
// An event whose JSON is larger than this is accepted with 204 and then silently dropped by the server.
export const MAX_EVENT_BYTES = 1_500_000;
// The server measures the event it stores, which has fields we do not send (`received`, microseconds on the
// timestamps); keep this much room for them so an event near the limit is not dropped.
export const SERVER_ADDED_BYTES = 128;
// Pydantic (which parses the request) and orjson (which writes it) stop at 255 levels of nesting; a payload
// is refused well before that, so the whole event stays readable by every layer of the server.
const MAX_PAYLOAD_DEPTH = 100;
// How many levels of a too deep path a message shows.
const SHOWN_DEPTH = 5;

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

// Control characters have no place in a dotted event name, and a newline in one would reach the log as a
// line of its own (a workflow command).
const CONTROL_CHARACTER = /\p{Cc}/u;
// What the event's `occurred` must look like: ISO 8601 with an offset (toISOString writes it so).
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** What is wrong with a value (a clause: "needs a non-empty … label"), and where inside it. */
export interface Problem {
  path: PropertyKey[];
  message: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The first rule a resource breaks: string labels, a non-empty id (and role, when related), 500 labels. */
export function resourceProblem(value: unknown, related = false): Problem | undefined {
  if (!isObject(value)) return { path: [], message: 'must be an object of labels' };
  // A loop over the keys rather than Object.entries: no array a label, for every resource of a batch.
  let labels = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (typeof value[key] !== 'string') return { path: [key], message: 'must be a string' };
    labels++;
  }
  if (!value[RESOURCE_ID]) return { path: [], message: `needs a non-empty "${RESOURCE_ID}" label` };
  if (labels > MAX_LABELS_PER_RESOURCE) {
    return {
      path: [],
      message: `has more than ${MAX_LABELS_PER_RESOURCE} labels, Prefect's limit for one resource`,
    };
  }
  if (related && !value[RESOURCE_ROLE])
    return { path: [], message: `needs a non-empty "${RESOURCE_ROLE}" label` };
  return undefined;
}

/** What is wrong with an event name, as a clause, or undefined. */
export function eventNameProblem(name: string): string | undefined {
  if (name === '') return 'must not be empty';
  // Python's len(): code points, so a name of 1024 emoji (2048 UTF-16 units) is allowed.
  // Counted only when it could matter: a name has no more code points than UTF-16 units.
  if (name.length > MAX_EVENT_NAME_LENGTH && [...name].length > MAX_EVENT_NAME_LENGTH) {
    return `must be at most ${MAX_EVENT_NAME_LENGTH} characters`;
  }
  if (CONTROL_CHARACTER.test(name)) return 'must not hold control characters such as a new line';
  return undefined;
}

/**
 * The first of the event's fields, in their order, that breaks a rule of the server's schema. `idMadeHere`:
 * the id is one event/uuid.ts made, a UUID by construction.
 */
function schemaProblem(event: PrefectEvent, idMadeHere: boolean): Problem | undefined {
  if (typeof event.occurred !== 'string' || !ISO_DATE_TIME.test(event.occurred)) {
    return at(['occurred'], 'must be an ISO 8601 timestamp with an offset');
  }
  const name = typeof event.event === 'string' ? eventNameProblem(event.event) : 'must be a string';
  if (name) return at(['event'], name);
  const resource = resourceProblem(event.resource);
  if (resource) return at(['resource', ...resource.path], resource.message);
  if (!Array.isArray(event.related)) return at(['related'], 'must be a list of resources');
  if (event.related !== soundList?.list) {
    for (const [index, item] of event.related.entries()) {
      if (soundRelated.has(item)) continue;
      const problem = resourceProblem(item, true);
      if (problem) return at(['related', index, ...problem.path], problem.message);
    }
  }
  if (event.related.length > MAX_RELATED_RESOURCES) {
    return at(['related'], `has more than ${MAX_RELATED_RESOURCES} resources, Prefect's limit`);
  }
  if (!isObject(event.payload)) return at(['payload'], 'must be an object');
  if (!idMadeHere && (typeof event.id !== 'string' || !isUuid(event.id))) return at(['id'], 'must be a UUID');
  if (event.follows !== null && (typeof event.follows !== 'string' || !isUuid(event.follows))) {
    return at(['follows'], 'must be a UUID');
  }
  return undefined;
}

function at(path: PropertyKey[], message: string): Problem {
  return { path, message };
}

export type EventField = keyof PrefectEvent;

/** A broken server rule: the event's field at fault, where inside it, and what is wrong (a clause). */
interface RuleBreak {
  field: EventField;
  /** e.g. `related[2]."prefect.resource.role"`. */
  where: string;
  problem: string;
}

/** Where a value sits, written the way a user would look for it: `related[2]."prefect.resource.role"`. */
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

// Related resources found to break no rule, with the bytes of their JSON. A batch's workflow-context
// resources are the same objects in every event: checked and measured once, not once an event.
const soundRelated = new WeakMap<object, number>();
// The last list of related resources found sound, with the bytes of its items and the commas between them:
// the events of a batch share one list (event/build.ts), which is then checked and measured once, not item
// by item for each event.
let soundList: { list: readonly Labels[]; bytes: number } | undefined;

// The related resources left out of the JSON that measures the rest of the event.
const NO_RELATED: readonly Labels[] = [];

/**
 * The first rule of Prefect's server the event breaks, or undefined when the server would store it.
 * `idMadeHere`: the event's id is one the action made (event/uuid.ts), not checked again (100,000 regular
 * expression tests in a large batch).
 */
export function findRuleBreak(event: PrefectEvent, idMadeHere = false): RuleBreak | undefined {
  // The event as JSON (its related resources apart: see soundRelated) gives its size, and shows at a glance
  // whether the walk below can find anything outside them. JSON.stringify recurses: nesting deep enough to
  // overflow it is for the walk, which is iterative, to report.
  let text: string | undefined;
  try {
    text = JSON.stringify({ ...event, related: NO_RELATED });
  } catch {
    text = undefined;
  }
  const unstorable = findUnstorable(event, text === undefined || !surelyStorable(text));
  if (unstorable) return unstorable;
  const problem = schemaProblem(event, idMadeHere);
  if (problem) {
    return {
      field: (problem.path[0] ?? 'event') as EventField,
      where: describePath(problem.path),
      problem: problem.message,
    };
  }
  const bytes = eventBytes(event, text ?? JSON.stringify({ ...event, related: NO_RELATED }));
  if (bytes + SERVER_ADDED_BYTES > MAX_EVENT_BYTES) {
    return {
      field: 'payload',
      where: '',
      problem:
        `is ${bytes} bytes as JSON, and Prefect silently drops events over ${MAX_EVENT_BYTES} ` +
        `bytes (${SERVER_ADDED_BYTES} of them kept for fields the server adds): make the payload smaller`,
    };
  }
  return undefined;
}

/**
 * Whether JSON text surely holds nothing findUnstorable refuses: no NUL (JSON.stringify writes it \u0000), no
 * lone surrogate (written \udXXX; a whole pair is written as itself) and too few brackets to nest past
 * MAX_PAYLOAD_DEPTH.
 */
function surelyStorable(text: string): boolean {
  if (text.includes('\\u0000') || /\\ud[89a-f]/.test(text)) return false;
  let brackets = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++brackets > MAX_PAYLOAD_DEPTH) return false;
    }
  }
  return true;
}

/**
 * What the server would store badly or not at all: NUL characters (PostgreSQL cannot store them in JSON,
 * and the server then drops the whole write batch after answering 204), lone UTF-16 surrogates (Prefect
 * 3.8.3 answers 500 to them on sqlite and PostgreSQL alike, on every retry) and nesting past
 * MAX_PAYLOAD_DEPTH. Names and label keys are strings of the event too, so they are checked on the way.
 * `whole`: the whole event is walked, else its related resources only (the rest is surelyStorable). Related
 * resources already sound are skipped. Paths are made for objects only, as they are walked: a string's is
 * made when it holds what the server cannot take.
 */
function findUnstorable(event: PrefectEvent, whole: boolean): RuleBreak | undefined {
  // Nothing to walk: the JSON showed nothing to refuse outside the related resources, known sound.
  if (!whole && event.related === soundList?.list) return undefined;
  const stack: { value: object; path: PropertyKey[] }[] = [];
  /** Checks a string, or stacks an object to walk; the break when the value or its key cannot be stored. */
  const visit = (field: EventField, path: () => PropertyKey[], key: string, value: unknown) => {
    const problem =
      characterProblem(key) ?? (typeof value === 'string' ? characterProblem(value) : undefined);
    if (problem) return { field, where: describePath(path()), problem };
    if (value !== null && typeof value === 'object') stack.push({ value, path: path() });
    return undefined;
  };
  const related: unknown = event.related;
  if (Array.isArray(related) && related !== soundList?.list) {
    for (const [index, item] of related.entries()) {
      if (soundRelated.has(item as object)) continue;
      const found = visit('related', () => ['related', index], '', item);
      if (found) return found;
    }
  }
  for (const [field, value] of whole ? Object.entries(event) : []) {
    if (field === 'related' && Array.isArray(value)) continue;
    const found = visit(field as EventField, () => [field], field, value);
    if (found) return found;
  }
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: object; path: PropertyKey[] };
    const field = path[0] as EventField;
    if (field === 'payload' && path.length > MAX_PAYLOAD_DEPTH) {
      return {
        field,
        // The first levels say where the deep part starts; all 100 would make a 300-character message.
        where: `${describePath(path.slice(0, SHOWN_DEPTH))}…`,
        problem: `is nested deeper than ${MAX_PAYLOAD_DEPTH} levels, more than this action sends to Prefect`,
      };
    }
    const array = Array.isArray(value);
    for (const [key, item] of Object.entries(value)) {
      const found = visit(field, () => [...path, array ? Number(key) : key], key, item);
      if (found) return found;
    }
  }
  return undefined;
}

// A high surrogate without the low one after it, or a low one without the high one before it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What the server cannot take in a string, as a clause, or undefined: two native scans, no copies. */
function characterProblem(text: string): string | undefined {
  if (text.includes('\0')) {
    return (
      'holds a NUL character (\\u0000), which Prefect on PostgreSQL cannot store (it would drop the event ' +
      'after accepting it): remove it'
    );
  }
  if (text.isWellFormed()) return undefined;
  // Only now, for the message: which surrogate, as JSON would escape it.
  const code = (LONE_SURROGATE.exec(text)?.[0] ?? '').charCodeAt(0).toString(16);
  return (
    `holds a lone UTF-16 surrogate (\\u${code}), half of a character such as an emoji cut in two, which ` +
    'Prefect answers with 500 Internal Server Error every time (the whole request would be lost): remove it or ' +
    'write the whole character'
  );
}

/**
 * The size of the event's JSON in UTF-8 bytes, the way the server counts it: the event without its related
 * resources (`withoutRelated`, that JSON), then each of them (measured once, see soundRelated) and the commas between them. The event
 * breaks no other rule, so its related resources are sound from now on.
 */
function eventBytes(event: PrefectEvent, withoutRelated: string): number {
  const bytes = Buffer.byteLength(withoutRelated, 'utf8');
  if (event.related === soundList?.list) return bytes + soundList.bytes;
  let relatedBytes = Math.max(0, event.related.length - 1);
  for (const item of event.related) {
    let itemBytes = soundRelated.get(item);
    if (itemBytes === undefined) {
      itemBytes = Buffer.byteLength(JSON.stringify(item), 'utf8');
      soundRelated.set(item, itemBytes);
    }
    relatedBytes += itemBytes;
  }
  soundList = { list: event.related, bytes: relatedBytes };
  return bytes + relatedBytes;
}
