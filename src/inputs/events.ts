// `events` and `events-file`: several events in one step (DESIGN §1.4). Which of `event`, `events` and
// `events-file` is given, the single-event inputs refused beside them, the text as a JSON array, JSON
// Lines or a YAML list, and the rules that span items: ids unique, `follows` only of an earlier item.
// Every item is read and checked before the step sends anything.
import { MAX_EVENT_BYTES } from '../event/schema.ts';
import type { EventSpec } from '../event/spec.ts';
import { ParseError } from '../parse/error.ts';
import { InexactNumberError, parseJson } from '../parse/json.ts';
import { loadedYamlListParser, type YamlDocument } from '../parse/yaml.ts';
import type { InputReader } from './credentials.ts';
import {
  inItem,
  itemError,
  itemName,
  itemSpec,
  locating,
  type BatchDefaults,
  type ItemPlace,
} from './event-item.ts';
import { readWorkspaceFile } from './files.ts';
import { LESS_OF_THE_WORKFLOW, templateFiller, type FileContext } from './templated-file.ts';
import { TemplateError } from '../template.ts';
import { parseRelated, parseResource } from './resource.ts';
import { InputError } from './source.ts';
import {
  asInputError,
  firstGiven,
  parseStructured,
  placeholderHint,
  yamlTooLarge,
  YamlParserNeeded,
} from './values.ts';

export type { BatchDefaults } from './event-item.ts';

// A file this big holds tens of thousands of events, far more than a step should send; the limit exists so
// that a wrong path (a build artifact, a log) fails at once instead of filling the runner's memory: the
// text, its parsed values and the request bodies are each about the file's size or a few times it.
const MAX_EVENTS_FILE_BYTES = 64 * 1024 * 1024;
// YAML takes up to 150 times its size in memory to read (values.ts yamlTooLarge): a YAML list is held to what
// the Node heap of a standard runner (7 GB of memory, a heap of about 1.8 GB) reads with room to spare.
export const MAX_YAML_EVENTS_BYTES = 8 * 1024 * 1024;
// An event costs about a kilobyte of memory once built with the workflow's context, whatever the size of its
// line: 64 MiB of the shortest JSON Lines items (4.6 million) exhausted a standard runner's 1.8 GB heap. Far
// more than a step should send: Prefect Cloud takes 2,000 to 40,000 events a minute, by plan.
export const MAX_EVENTS_PER_STEP = 100_000;

export interface BatchSource {
  input: 'events' | 'events-file';
  /** The file's path as messages show it (events-file): see `shownPath`. */
  file?: string;
}

/** An item as a parser of the whole text found it: its value, and its line when the format has lines. */
export interface ParsedItem {
  value: unknown;
  line?: number;
}

const EXACTLY_ONE = 'give exactly one of "event", "events" and "events-file"';
// What each single-event input is, for the refusal's advice.
const PER_ITEM: Record<string, string> = {
  payload: 'payload',
  'payload-file': 'payload',
  occurred: 'occurred',
  id: 'id',
  follows: 'follows',
};

/**
 * The specs of `events` or `events-file`, or undefined when neither is given (the step has one `event`).
 * `resource` is the default of items without one and `related` is added to every item.
 */
export function readEventBatch(read: InputReader, files: FileContext): EventSpec[] | undefined {
  const text = read('events');
  const file = read('events-file');
  if (text === '' && file === '') return undefined;
  if (text !== '' && file !== '') {
    throw new InputError('events-file', `cannot be used together with "events": ${EXACTLY_ONE}.`);
  }
  const input = text !== '' ? 'events' : 'events-file';
  if (read('event') !== '')
    throw new InputError(input, `cannot be used together with "event": ${EXACTLY_ONE}.`);
  const perItem = firstGiven(read, Object.keys(PER_ITEM));
  if (perItem !== undefined) {
    throw new InputError(
      perItem,
      `cannot be used together with "${input}": give each item its own "${PER_ITEM[perItem]}".`,
    );
  }
  const resource = read('resource');
  const defaults: BatchDefaults = {
    ...(resource !== '' && { resource: parseResource('resource', resource) }),
    related: parseRelated('related', read('related')),
  };
  if (text !== '') return specsFromText(text, { input: 'events' }, defaults);
  const content = readWorkspaceFile('events-file', file, files.workspace, MAX_EVENTS_FILE_BYTES);
  // A file's placeholders are filled item by item, after parsing (DESIGN §1.5); `events` is a with: value,
  // which the runner has filled already.
  const source: BatchSource = { input: 'events-file', file: shownPath(file) };
  // Without a placeholder there is nothing to fill: the items are read as they are.
  if (!content.includes('${{')) return specsFromText(content, source, defaults);
  const fill = templateFiller(files);
  // A placeholder can stand for a large value (${{ github.event }} is the whole webhook payload): what
  // placeholders put into the items is bounded while they are filled, each item to what one event may hold
  // and all of them to what an events file may hold, so memory never holds more than a file could.
  let left = MAX_EVENTS_FILE_BYTES;
  return specsFromText(content, source, defaults, (value, place) => {
    const bound =
      left < MAX_EVENT_BYTES
        ? { left, exceeded: `${MORE_THAN_A_FILE} ${LESS_OF_THE_WORKFLOW} into each item` }
        : { left: MAX_EVENT_BYTES, exceeded: `${MORE_THAN_AN_EVENT} ${LESS_OF_THE_WORKFLOW} into it` };
    const before = bound.left;
    let filled: unknown;
    try {
      filled = fill(value, bound);
    } catch (error) {
      throw error instanceof TemplateError ? itemError(place, undefined, `${error.message}.`) : error;
    }
    left -= before - bound.left;
    return filled;
  });
}

const MORE_THAN_AN_EVENT = `the item's placeholders would put more than ${MAX_EVENT_BYTES} bytes into it, the most an event may hold:`;
const MORE_THAN_A_FILE =
  `the file's placeholders would put more than ${MAX_EVENTS_FILE_BYTES} bytes into its items, ` +
  'the most an events file may hold once filled:';

/** Fills an item's placeholders (a file's); throws an error that names the item. */
export type ItemFiller = (value: unknown, place: ItemPlace) => unknown;

/**
 * A JSON array of items, JSON Lines (one object a line, blank lines skipped), or a YAML list. Items of JSON
 * Lines and of a YAML list are named by their line too; those of a JSON array by their index only.
 */
function specsFromText(
  text: string,
  source: BatchSource,
  defaults: BatchDefaults,
  fill?: ItemFiller,
): EventSpec[] {
  const first = /\S/.exec(text)?.[0]; // without trimming: no copy of what may be a large text
  if (first === undefined) {
    throw sourceError(source, `holds no events: give ${FORMS}.`);
  }
  let items: Iterable<ParsedItem>;
  if (first === '{') {
    items = jsonLines(text, source);
  } else if (first === '[' || first === '"') {
    const list = locating(source.input, source.file, (name) =>
      parseStructured(name, text, MAX_YAML_EVENTS_BYTES),
    );
    if (!Array.isArray(list)) throw sourceError(source, `must be ${FORMS}.`);
    items = arrayItems(list);
  } else {
    const { value, itemLines } = locating(source.input, source.file, (name) => parseYamlList(name, text));
    if (!Array.isArray(value)) throw sourceError(source, `must be ${FORMS}.`);
    items = arrayItems(value, itemLines);
  }
  return specsFromItems(fill ? filled(items, source, fill) : items, source, defaults);
}

const FORMS = 'a JSON array of event objects, JSON Lines (one JSON object a line), or a YAML list';

function* filled(items: Iterable<ParsedItem>, source: BatchSource, fill: ItemFiller): Generator<ParsedItem> {
  let index = 0;
  for (const item of items) {
    yield { ...item, value: fill(item.value, placeOf(source, index++, item.line)) };
  }
}

/**
 * The items, in order, as specs: each checked as it comes (a generator's items are parsed one at a time),
 * then the rules that span items. `items` may come from any parser that knows each item's line.
 */
export function specsFromItems(
  items: Iterable<ParsedItem>,
  source: BatchSource,
  defaults: BatchDefaults,
): EventSpec[] {
  const specs: EventSpec[] = [];
  // Every id given so far, and which item has it.
  const ids = new Map<string, { index: number }>();
  // `follows` ids that were no earlier item's: a later item's (an error) or an event outside the batch.
  const unresolved: { place: ItemPlace; id: string }[] = [];
  for (const { value, line } of items) {
    const place = placeOf(source, specs.length, line);
    if (specs.length === MAX_EVENTS_PER_STEP) {
      throw itemError(
        place,
        undefined,
        `is one event more than the ${MAX_EVENTS_PER_STEP} a step may send: split the events over several steps.`,
      );
    }
    const spec = itemSpec(value, place, defaults);
    // An earlier item's id is resolved when the events are built (event/build.ts buildEvents), against the
    // time that item is given then.
    if (spec.follows && !ids.has(spec.follows.id)) unresolved.push({ place, id: spec.follows.id });
    if (spec.id !== undefined) {
      const same = ids.get(spec.id);
      if (same) {
        throw itemError(
          place,
          'id',
          `repeats the id of ${itemName({ ...place, index: same.index })}: give each item its own id ` +
            '(Prefect keeps only the first event with an id).',
        );
      }
      ids.set(spec.id, { index: place.index });
    }
    specs.push(spec);
  }
  for (const { place, id } of unresolved) {
    const target = ids.get(id);
    if (!target) continue;
    const which =
      target.index === place.index
        ? "the item's own id"
        : `the id of ${itemName({ ...place, index: target.index })}, a later item`;
    throw itemError(place, 'follows', `names ${which}: an item can follow only an earlier one.`);
  }
  if (specs.length === 0) throw sourceError(source, 'holds no events: give at least one item.');
  return specs;
}

/** An error about the whole input or file: `Input "events-file" (target/e.jsonl) holds no events …`. */
function sourceError(source: BatchSource, problem: string): InputError {
  const where = source.file === undefined ? '' : `(${source.file}) `;
  return new InputError(source.input, `${where}${problem}`);
}

function placeOf(source: BatchSource, index: number, line: number | undefined): ItemPlace {
  const place: ItemPlace = { input: source.input, index };
  if (source.file !== undefined) place.file = source.file;
  if (line !== undefined) place.line = line;
  return place;
}

/** A path as messages show it: as given, quoted when it holds anything unusual (spaces, a new line). */
function shownPath(path: string): string {
  return /^[\w./@+-]+$/.test(path) ? path : JSON.stringify(path);
}

/**
 * Text that starts as no JSON array, object or string does is YAML (a JSON number, `true` or `null` reads
 * the same as YAML, and is no list either): parsed by the YAML parser that also gives each item's line.
 * As parseStructured does, throws YamlParserNeeded while that parser is not loaded.
 */
function parseYamlList(name: string, text: string): YamlDocument {
  const tooLarge = yamlTooLarge(name, text, MAX_YAML_EVENTS_BYTES);
  if (tooLarge) throw tooLarge;
  const parse = loadedYamlListParser();
  if (!parse) throw new YamlParserNeeded();
  try {
    return parse(text);
  } catch (error) {
    throw asInputError(name, error, 'YAML', text);
  }
}

/** The array's items, each let go by the array once taken, so only the specs keep what they need. */
function* arrayItems(list: unknown[], lines?: number[]): Generator<ParsedItem> {
  for (let index = 0; index < list.length; index++) {
    const value = list[index];
    list[index] = undefined;
    const line = lines?.[index];
    yield line === undefined ? { value } : { value, line };
  }
}

/**
 * JSON Lines, parsed a line at a time as the items are taken: only one line's text and value are extra
 * at any moment. Blank lines (and a last new line) are skipped; `\r\n` endings are whitespace to JSON.
 */
function* jsonLines(text: string, source: BatchSource): Generator<ParsedItem> {
  let index = 0;
  for (let start = 0, line = 1; start < text.length; line++) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const content = text.slice(start, end);
    start = end + 1;
    if (/^\s*$/.test(content)) continue;
    yield { value: parseLine(content, source, index++, line), line };
  }
}

/** A line's value; when it is not JSON, an error that names the item, its line and what is wrong. */
function parseLine(content: string, source: BatchSource, index: number, line: number): unknown {
  try {
    return parseJson(content);
  } catch {
    // Nearly every line parses: the item is named only now, and the line parsed again for the error.
    return inItem(placeOf(source, index, line), undefined, (name) => parseNamedLine(name, content));
  }
}

function parseNamedLine(name: string, content: string): unknown {
  try {
    return parseJson(content);
  } catch (error) {
    if (error instanceof ParseError && !(error instanceof InexactNumberError)) {
      const at = error.position ? ` at column ${error.position.column}` : '';
      throw new InputError(
        name,
        `is not valid JSON: ${error.reason}${at} (JSON Lines hold one whole JSON object a line)` +
          `${placeholderHint(content, error)}.`,
      );
    }
    throw asInputError(name, error);
  }
}
