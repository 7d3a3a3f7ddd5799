// YAML text -> a JSON-shaped value, for the inputs and files that accept YAML as well as JSON.
// The library (js-yaml) is imported on first use only, so a step whose inputs are all JSON never loads it:
// the bundle keeps it in a chunk of its own (scripts/bundle.mjs).
//
// What the text may hold is what JSON can carry, read by YAML 1.2's core schema: `on`, `yes`, `no`, `off`
// and dates stay strings; a tag outside the core schema (`!!js/function`, `!!binary`, `!custom`) is an
// error; so are duplicate keys, a second document, numbers JavaScript would change (past 2^53, rounded
// decimals, `.inf`, `.nan`), and aliases that repeat more than MAX_ALIAS_EXPANSION values (billion laughs).
// `<<` is an ordinary key: merge keys are YAML 1.1, not 1.2.
import type * as JsYaml from './yaml-library.ts';
import type { DocumentEvent, PopEvent, ScalarEvent, SequenceEvent, Event as YamlEvent } from 'js-yaml';
import { ParseError, positionAt } from './error.ts';
import { sameNumber } from './numbers.ts';

/** How many values aliases may repeat in one document, in total: far above any real payload or event
 * list, far below what would exhaust memory once the value is copied, templated or serialised. */
export const MAX_ALIAS_EXPANSION = 100_000;

type Library = typeof JsYaml;

/** A document's value and, when its top level is a list, the 1-based line where each item starts. */
export interface YamlDocument {
  value: unknown;
  itemLines?: number[];
}

let library: Promise<Library> | undefined;
let loaded: ((text: string) => unknown) | undefined;
let loadedList: ((text: string) => YamlDocument) | undefined;

/** Loads the YAML library (once) and returns a synchronous parser, for callers that parse many texts. */
export async function loadYamlParser(): Promise<(text: string) => unknown> {
  const yaml = await (library ??= import('./yaml-library.ts'));
  loadedList ??= (text) => parseWith(yaml, text, true);
  return (loaded ??= (text) => parseWith(yaml, text, false).value);
}

/** The parser, once loadYamlParser has loaded it: synchronous code asks, and has its caller load it if not. */
export function loadedYamlParser(): ((text: string) => unknown) | undefined {
  return loaded;
}

/**
 * The same parser, once loaded, that also says on which line each item of a top-level list starts, for
 * messages about one item of a list (`events-file[3] (events.yml line 12)`).
 */
export function loadedYamlListParser(): ((text: string) => YamlDocument) | undefined {
  return loadedList;
}

/** Parses one YAML document. Throws ParseError with the line and column of the problem. */
export async function parseYaml(text: string): Promise<unknown> {
  return (await loadYamlParser())(text);
}

function parseWith(yaml: Library, rawText: string, withItemLines: boolean): YamlDocument {
  // A byte order mark is an editor's, not the document's; dropping it keeps columns as editors show them.
  const text = rawText.startsWith('\uFEFF') ? rawText.slice(1) : rawText;
  let events: YamlEvent[] = [];
  let documents: unknown[];
  try {
    events = yaml.parseEvents(text, {});
    checkEvents(yaml, text, events);
    documents = yaml.constructFromEvents(events, { source: text, schema: yaml.CORE_SCHEMA });
  } catch (error) {
    throw toParseError(yaml, text, error, events);
  }
  if (documents.length === 0)
    throw new ParseError('There is no YAML value: the text is empty or only comments');
  const value = documents[0];
  if (events.some((event) => event.type === yaml.EVENT_ID.ALIAS))
    checkAliasExpansion(yaml, text, events, value);
  const root = events[1]; // events[0] opens the document
  if (!withItemLines || root?.type !== yaml.EVENT_ID.SEQUENCE) return { value };
  return { value, itemLines: linesOf(text, itemStarts(yaml, text, events, root)) };
}

/**
 * Where each item of the top-level sequence starts, in order: its anchor, tag or first character. An empty
 * item (null) and a block scalar have no such offset before their content: theirs is the "-" that opens
 * them, the first one to start a line after what came before.
 */
function itemStarts(yaml: Library, text: string, events: YamlEvent[], root: SequenceEvent): number[] {
  const starts: number[] = [];
  const dash = /^[ \t]*-(?=\s|$)/gm;
  let reached = root.start; // how far the events so far have gone into the text
  // For each open collection from the root down: whether it is a sequence (whose items may start at "-").
  const inSequence: boolean[] = [true];
  for (let index = 2; index < events.length; index++) {
    const event = events[index];
    if (event === undefined || event.type === yaml.EVENT_ID.DOCUMENT) break;
    if (event.type === yaml.EVENT_ID.POP) {
      inSequence.pop();
      if (inSequence.length === 0) break; // the root's end
      continue;
    }
    let start = nodeStart(yaml, event);
    // Nested items too, so that a nested empty item's "-" is not taken for the next top-level one's.
    if (start === undefined && inSequence.at(-1) === true) {
      dash.lastIndex = reached;
      const found = dash.exec(text);
      start = found ? found.index + found[0].length - 1 : reached;
      reached = Math.max(reached, start + 1);
    }
    if (inSequence.length === 1) starts.push(start ?? reached);
    if (event.type === yaml.EVENT_ID.SEQUENCE || event.type === yaml.EVENT_ID.MAPPING)
      inSequence.push(event.type === yaml.EVENT_ID.SEQUENCE);
    reached = Math.max(reached, nodeEnd(yaml, event));
  }
  return starts;
}

type NodeEvent = Exclude<YamlEvent, DocumentEvent | PopEvent>;

/** The first offset a node's own text has, when it has one ahead of any content (see itemStarts). */
function nodeStart(yaml: Library, event: NodeEvent): number | undefined {
  let content = -1;
  if (event.type === yaml.EVENT_ID.SEQUENCE || event.type === yaml.EVENT_ID.MAPPING) content = event.start;
  else if (event.type === yaml.EVENT_ID.ALIAS) content = event.anchorStart;
  else if (event.style !== yaml.SCALAR_STYLE.LITERAL_BLOCK && event.style !== yaml.SCALAR_STYLE.FOLDED_BLOCK)
    content = event.valueStart;
  const tag = 'tagStart' in event ? event.tagStart : -1;
  const offsets = [content, event.anchorStart, tag].filter((offset) => offset >= 0);
  return offsets.length > 0 ? Math.min(...offsets) : undefined;
}

/** How far into the text a node's event goes: a scalar's end, a collection's opening, an alias's name. */
function nodeEnd(yaml: Library, event: NodeEvent): number {
  if (event.type === yaml.EVENT_ID.ALIAS) return event.anchorEnd;
  const opening = event.type === yaml.EVENT_ID.SCALAR ? event.valueEnd : event.start;
  return Math.max(opening, event.anchorEnd, event.tagEnd);
}

/** The 1-based lines of ascending offsets, counted in one pass over the text. */
function linesOf(text: string, offsets: number[]): number[] {
  let line = 1;
  let newline = text.indexOf('\n');
  return offsets.map((offset) => {
    while (newline !== -1 && newline < offset) {
      line++;
      newline = text.indexOf('\n', newline + 1);
    }
    return line;
  });
}

/**
 * One document only, no number that would arrive changed, and no alias inside the value its anchor names
 * (`&x [*x]`: a value that holds itself, which no JSON can write). Runs before construction.
 */
function checkEvents(yaml: Library, text: string, events: YamlEvent[]): void {
  let documents = 0;
  let lastOffset = 0;
  // The anchors of the collections open at this point, innermost last (undefined: a collection without one),
  // and each anchor's latest definition: an alias names the latest, and only an open one holds the alias.
  const open: (string | undefined)[] = [];
  const latest = new Map<string, 'open' | 'complete'>();
  const anchorOf = (event: { anchorStart: number; anchorEnd: number }) =>
    event.anchorStart < 0 ? undefined : text.slice(event.anchorStart, event.anchorEnd);
  for (const event of events) {
    if (event.type === yaml.EVENT_ID.POP) {
      const anchor = open.pop();
      if (anchor !== undefined) latest.set(anchor, 'complete');
    } else if (event.type === yaml.EVENT_ID.ALIAS) {
      const anchor = text.slice(event.anchorStart, event.anchorEnd);
      if (latest.get(anchor) === 'open') {
        throw new ParseError(
          `The alias *${anchor} is inside the value anchored as &${anchor}, which would then hold itself ` +
            'without end: an alias can only repeat a value that ends before the alias',
          positionAt(text, event.anchorStart - 1),
        );
      }
    } else if (event.type !== yaml.EVENT_ID.DOCUMENT) {
      const anchor = anchorOf(event);
      if (event.type === yaml.EVENT_ID.SEQUENCE || event.type === yaml.EVENT_ID.MAPPING) {
        open.push(anchor);
        if (anchor !== undefined) latest.set(anchor, 'open');
      } else if (anchor !== undefined) latest.set(anchor, 'complete');
    }
    if (event.type === yaml.EVENT_ID.DOCUMENT) {
      documents += 1;
      if (documents === 2) {
        const marker = /^---/m.exec(text.slice(lastOffset));
        throw new ParseError(
          'The text holds more than one YAML document (a "---" line starts another): give one document',
          marker ? positionAt(text, lastOffset + marker.index) : undefined,
        );
      }
    } else if (event.type === yaml.EVENT_ID.SCALAR) {
      lastOffset = Math.max(lastOffset, event.valueEnd);
      checkNumber(yaml, text, event);
    } else if (event.type === yaml.EVENT_ID.SEQUENCE || event.type === yaml.EVENT_ID.MAPPING) {
      lastOffset = Math.max(lastOffset, event.start);
    } else if (event.type === yaml.EVENT_ID.ALIAS) {
      lastOffset = Math.max(lastOffset, event.anchorEnd);
    }
  }
}

const NUMBER_TAGS = new Set(['!!int', '!!float', '!<tag:yaml.org,2002:int>', '!<tag:yaml.org,2002:float>']);

/**
 * A scalar the core schema reads as a number must survive as one, as parse/json.ts requires of JSON: the
 * decimal written must be the decimal the double holds (2^53+1 and 0.1000000000000000001 are not; Python,
 * where Prefect runs, would keep them), and JSON has no Infinity or NaN.
 */
function checkNumber(yaml: Library, text: string, scalar: ScalarEvent): void {
  if (scalar.valueStart < 0) return; // an empty node: null
  const tag = scalar.tagStart >= 0 ? text.slice(scalar.tagStart, scalar.tagEnd) : undefined;
  if (tag === undefined ? scalar.style !== yaml.SCALAR_STYLE.PLAIN : !NUMBER_TAGS.has(tag)) return;
  // Most scalars are words: skip decoding those that cannot be numbers.
  if (tag === undefined && !/[-+.0-9]/.test(text.charAt(scalar.valueStart))) return;
  const source = yaml.getScalarValue(text, scalar);
  const explicit = tag !== undefined;
  for (const definition of [yaml.intCoreTag, yaml.floatCoreTag]) {
    const value = definition.resolve(source, explicit, definition.tagName);
    if (value === yaml.NOT_RESOLVED) continue;
    if (sameNumber(source, value)) return;
    throw new ParseError(
      `The number ${source} cannot be carried exactly in JSON (it would be ${value}): write it as a string`,
      positionAt(text, scalar.valueStart),
    );
  }
  // YAML 1.2's core schema reads 1e400 as a float; js-yaml leaves one too large for a double as a string,
  // which would arrive as text where a number was written.
  if (CORE_FLOAT.test(source)) {
    throw new ParseError(
      `The number ${source} is too large for JSON in JavaScript: write it as a string`,
      positionAt(text, scalar.valueStart),
    );
  }
}

// A float of YAML 1.2's core schema (10.2.1.4), without .inf and .nan (refused as numbers above).
const CORE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/**
 * Aliases share one value in memory, so parsing a billion laughs is cheap; copying, templating or
 * serialising it is not. Counts the values the document stands for, each shared value once per use,
 * memoised so the count itself costs one pass over the distinct values.
 */
function checkAliasExpansion(yaml: Library, text: string, events: YamlEvent[], value: unknown): void {
  const nodes = new Set<number>([yaml.EVENT_ID.SCALAR, yaml.EVENT_ID.SEQUENCE, yaml.EVENT_ID.MAPPING]);
  const written = events.filter((event) => nodes.has(event.type)).length; // keys included
  const sizes = new Map<object, number>();
  const size = (item: unknown): number => {
    if (item === null || typeof item !== 'object') return 1;
    const known = sizes.get(item);
    if (known !== undefined) return known;
    let total = 1;
    if (Array.isArray(item)) for (const child of item) total += size(child);
    else for (const child of Object.values(item)) total += 1 + size(child); // its key, then its value
    sizes.set(item, total);
    return total;
  };
  const repeated = size(value) - written;
  if (repeated <= MAX_ALIAS_EXPANSION) return;
  const firstAlias = events.find((event) => event.type === yaml.EVENT_ID.ALIAS);
  throw new ParseError(
    `Aliases repeat more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} values: write the values out`,
    firstAlias && 'anchorStart' in firstAlias ? positionAt(text, firstAlias.anchorStart - 1) : undefined,
  );
}

function toParseError(yaml: Library, text: string, error: unknown, events: YamlEvent[]): ParseError {
  if (error instanceof ParseError) return error;
  if (!(error instanceof yaml.YAMLException)) {
    return new ParseError(
      `The YAML cannot be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const mark = error.mark;
  if (!mark || mark.position < 0) return new ParseError(describe(error.reason));
  const keyAt = () => {
    // The mark points at the key (or its opening quote): name it, as a reader looks for it by name.
    const key = events.find(
      (event): event is ScalarEvent =>
        event.type === yaml.EVENT_ID.SCALAR &&
        event.valueStart >= mark.position &&
        event.valueStart <= mark.position + 1,
    );
    return key ? yaml.getScalarValue(text, key) : undefined;
  };
  return new ParseError(describe(error.reason, keyAt), { line: mark.line + 1, column: mark.column + 1 });
}

/** js-yaml's reasons, as sentences that say what is expected where they do not. */
function describe(reason: string, keyAt?: () => string | undefined): string {
  const tag = /^unknown (?:\w+ )?tag !<(.*)>$/.exec(reason)?.[1];
  if (tag !== undefined) {
    const written = tag.replace(/^tag:yaml\.org,2002:/, '!!');
    return `The tag ${written} is not supported: only YAML's core types are (strings, numbers, booleans, null, lists and maps)`;
  }
  if (reason === 'duplicated mapping key') {
    const key = keyAt?.();
    return `${key === undefined ? 'A key' : `The key ${JSON.stringify(key)}`} appears twice in the same map: give each key once`;
  }
  if (/complex keys/.test(reason)) return 'A key is a list or a map: keys must be strings';
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}
