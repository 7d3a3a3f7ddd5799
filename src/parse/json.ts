// JSON text -> value, with the line and column of a syntax error, and refusing the numbers JavaScript
// would change: what Prefect stores must be what was written.
import { ParseError, positionAt } from './error.ts';
import { sameNumber } from './numbers.ts';

/** A number whose value as written differs from the double JavaScript (and the request body) would carry. */
export class InexactNumberError extends ParseError {
  override name = 'InexactNumberError';
  /** The number as written in the text. */
  readonly written: string;
  /** Where it sits in the value, as keys and indexes. */
  readonly path: readonly (string | number)[];
  constructor(written: string, path: readonly (string | number)[]) {
    super(`holds a number that JavaScript cannot carry exactly (${written})`);
    this.written = written;
    this.path = path;
  }
}

// Deeper than any event Prefect stores, and shallow enough that walking the value cannot overflow the stack.
const MAX_JSON_DEPTH = 200;

/** Parses JSON; throws ParseError with line and column, or InexactNumberError naming where the number is. */
export function parseJson(text: string): unknown {
  const plain = parsedIfPlain(text);
  if (plain !== NOT_PLAIN) return plain;
  const numbersToCheck = checkStructure(text);
  let inexact: { written: string; holder: object; key: string } | undefined;
  let value: unknown;
  try {
    // A reviver makes JSON.parse several times slower: when no number could be inexact, none is needed.
    if (!numbersToCheck) return JSON.parse(text);
    // The reviver sees each number's source text (Node 24), so rounding can be told from exact values.
    value = JSON.parse(
      text,
      function (this: object, key: string, item: unknown, context?: { source?: string }) {
        if (typeof item === 'number' && inexact === undefined && context?.source !== undefined) {
          if (!sameNumber(context.source, item)) inexact = { written: context.source, holder: this, key };
        }
        return item;
      },
    );
  } catch (error) {
    throw syntaxError(error, text);
  }
  if (inexact) throw new InexactNumberError(inexact.written, pathTo(value, inexact.holder, inexact.key));
  return value;
}

/**
 * Finds where a holder object sits in the parsed value (depth-first), for the error's path; [] for the value
 * itself, whose holder JSON.parse makes outside the value (`{"": value}`).
 */
function pathTo(root: unknown, holder: object, key: string): (string | number)[] {
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: root, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as { node: unknown; path: (string | number)[] };
    if (node === null || typeof node !== 'object') continue;
    const index = Array.isArray(node) ? Number(key) : key;
    if (node === holder) return [...path, index];
    for (const [child, item] of Object.entries(node)) {
      stack.push({ node: item, path: [...path, Array.isArray(node) ? Number(child) : child] });
    }
  }
  return [];
}

/** V8's JSON errors give a position; people look for a line and a column. */
function syntaxError(error: unknown, text: string): ParseError {
  const message = error instanceof Error ? error.message : String(error);
  // "Unexpected token 'x', "<the whole text>" is not valid JSON" quotes the input and gives no position.
  const token = /^Unexpected token '(.*?)', (\.\.\.)?".*is not valid JSON$/s.exec(message)?.[1];
  const reason =
    token !== undefined
      ? `Unexpected token ${JSON.stringify(token)}`
      : message.replace(/\s*(in JSON )?at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
  const offset =
    /position (\d+)/.exec(message)?.[1] ??
    (token !== undefined
      ? viablePrefixLength(text)
      : message.startsWith('Unexpected end')
        ? text.length
        : undefined);
  return new ParseError(reason, offset === undefined ? undefined : positionAt(text, Number(offset)));
}

/** The length of the longest start of the text that valid JSON could begin with: where V8 stopped. */
function viablePrefixLength(text: string): number {
  const viable = (length: number) => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const at = /position (\d+)/.exec(message)?.[1];
      return message.startsWith('Unexpected end') || (at !== undefined && Number(at) >= length);
    }
  };
  let low = 0; // viable: the empty text is merely unfinished
  let high = text.length; // not viable: the whole text failed
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (viable(middle)) low = middle;
    else high = middle;
  }
  return low;
}

// What parsedIfPlain gives for text it cannot prove plain.
const NOT_PLAIN = Symbol('not plain');
// What could be a number with more than EXACT_DIGITS significant digits, or with an exponent (or text in a
// string that looks so: then the careful path is taken for nothing).
const MAYBE_INEXACT = /\d[\d.]{15}|\d[eE]/;

/**
 * The value of text that native searches prove plain, or undefined (then checkStructure's character walk
 * decides): no backslash (so no escaped key), no number that may be inexact, fewer brackets than
 * MAX_JSON_DEPTH levels, and as many keys in the value as key ends in the text (JSON.parse keeps one of
 * two same keys). Most JSON Lines items are plain: their line is read without a walk in JavaScript.
 */
function parsedIfPlain(text: string): unknown {
  if (text.includes('\\') || MAYBE_INEXACT.test(text)) return NOT_PLAIN;
  // Nesting needs a bracket a level: only a text as long as MAX_JSON_DEPTH can have that many.
  if (text.length >= MAX_JSON_DEPTH && !fewerBrackets(text, MAX_JSON_DEPTH)) return NOT_PLAIN;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_PLAIN; // the careful path finds what is wrong first, and words it
  }
  return keyCount(value) === keyEnds(text) ? value : NOT_PLAIN;
}

/**
 * How many colons in the text follow a quote, spaces between allowed: in JSON with no backslash no string
 * holds a quote, so each ends a key (or a string that starts with a colon, which only makes the count
 * differ, and the text go the careful way). Counted in place: no list of matches made for each line.
 */
function keyEnds(text: string): number {
  let count = 0;
  for (let colon = text.indexOf(':'); colon !== -1; colon = text.indexOf(':', colon + 1)) {
    let before = colon - 1;
    while (before >= 0 && JSON_SPACE.has(text.charCodeAt(before))) before--;
    if (text.charCodeAt(before) === QUOTE) count++;
  }
  return count;
}

const QUOTE = 0x22;
// JSON's whitespace: space, tab, line feed, carriage return.
const JSON_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Whether the text holds fewer than `limit` opening brackets (`{` and `[`), strings' included. */
function fewerBrackets(text: string, limit: number): boolean {
  let brackets = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      if (++brackets >= limit) return false;
    }
  }
  return true;
}

/** How many keys the objects of a parsed value have, all levels together: counted, no list of them made. */
function keyCount(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) if (item !== null && typeof item === 'object') stack.push(item);
    } else if (node !== null && typeof node === 'object') {
      // A parsed object's keys are its own: nothing it inherits is enumerable.
      for (const key in node) {
        count++;
        const item = (node as Record<string, unknown>)[key];
        if (item !== null && typeof item === 'object') stack.push(item);
      }
    }
  }
  return count;
}

// Up to this many significant digits, a decimal number is exactly the double JavaScript reads it as
// (DBL_DIG): written that way, no number needs the reviver's check.
const EXACT_DIGITS = 15;

/**
 * Refuses, before parsing, text nested deeper than MAX_JSON_DEPTH (the reviver recurses once a level) and an
 * object with the same key twice (JSON.parse would keep the last silently; YAML refuses it too). Text that
 * is not valid JSON is left to JSON.parse, whose error is the better one. Returns whether a number in it
 * may not be what JavaScript reads (more than EXACT_DIGITS significant digits, or an exponent).
 */
function checkStructure(text: string): boolean {
  let numbersToCheck = false;
  // One entry a level: the keys of an object so far, or null for an array.
  const levels: (Set<string> | null)[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x22) {
      const start = index;
      let escaped = false;
      for (index++; index < text.length && text.charCodeAt(index) !== 0x22; index++) {
        if (text.charCodeAt(index) === 0x5c) {
          escaped = true;
          index++; // a backslash escapes the next character
        }
      }
      const keys = levels[levels.length - 1];
      if (keys && followedByColon(text, index + 1)) checkKey(text, start, index, keys, escaped);
    } else if (char === 0x7b || char === 0x5b) {
      levels.push(char === 0x7b ? new Set() : null);
      if (levels.length > MAX_JSON_DEPTH) {
        throw new ParseError(`Nested deeper than ${MAX_JSON_DEPTH} levels`, positionAt(text, index));
      }
    } else if (char === 0x7d || char === 0x5d) {
      levels.pop();
    } else if (char === 0x2d || (char >= 0x30 && char <= 0x39)) {
      const end = numberEnd(text, index);
      numbersToCheck ||= !surelyExact(text, index, end);
      index = end - 1;
    }
  }
  return numbersToCheck;
}

/** Where the number (or what looks like one) starting at `start` ends. */
function numberEnd(text: string, start: number): number {
  let index = start;
  while (index < text.length && /[-+.\deE]/.test(text.charAt(index))) index++;
  return index;
}

/** Whether the number text[start, end) is surely the double it is read as: few digits, no exponent. */
function surelyExact(text: string, start: number, end: number): boolean {
  let digits = 0;
  for (let index = start; index < end; index++) {
    const char = text.charCodeAt(index);
    if (char === 0x65 || char === 0x45) return false; // an exponent: 1e400 is Infinity
    // Leading zeros (of 0.000123 too) are not significant.
    if (char >= 0x30 && char <= 0x39 && (digits > 0 || char !== 0x30)) digits++;
  }
  return digits <= EXACT_DIGITS;
}

/** Whether the next character that is not JSON whitespace is a colon: the string before it is a key. */
function followedByColon(text: string, from: number): boolean {
  let index = from;
  while (index < text.length && ' \t\n\r'.includes(text.charAt(index))) index++;
  return text.charCodeAt(index) === 0x3a;
}

/**
 * A key between the quotes at `start` and `end`, compared as decoded (`"a"` and `"\u0061"` are one key):
 * without a backslash, the key is the text between the quotes.
 */
function checkKey(text: string, start: number, end: number, keys: Set<string>, escaped: boolean): void {
  let key: string;
  try {
    key = escaped ? (JSON.parse(text.slice(start, end + 1)) as string) : text.slice(start + 1, end);
  } catch {
    return; // not a valid string: JSON.parse will say so
  }
  if (keys.has(key)) {
    throw new ParseError(
      `The key ${JSON.stringify(key)} appears twice in the same object: give each key once`,
      positionAt(text, start),
    );
  }
  keys.add(key);
}
