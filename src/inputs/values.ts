// Structured text from an input or a file -> a value: JSON first, then YAML (whose parser is loaded only
// when some text is not JSON), with errors that name the source and the line.
import { describePath } from '../event/schema.ts';
import { ParseError } from '../parse/error.ts';
import { InexactNumberError, parseJson } from '../parse/json.ts';
import { loadedYamlParser, loadYamlParser } from '../parse/yaml.ts';
import { InputError } from './source.ts';

/**
 * Thrown when a text is not JSON and the YAML parser has not been loaded yet: the caller loads it (an
 * await, kept out of the input code) and reads the inputs again. A step whose inputs are all JSON never
 * loads it.
 */
export class YamlParserNeeded extends Error {
  override name = 'YamlParserNeeded';
}

/**
 * Reads inputs with `read`; when some text is not JSON, loads the YAML parser (the only await of input
 * reading) and reads them again, so a step whose inputs are all JSON never loads it. Each bundle that reads
 * inputs calls its own (scripts/bundle.mjs): YamlParserNeeded and the loaded parser are that bundle's.
 */
export async function readLoadingYaml<T>(read: () => T): Promise<T> {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof YamlParserNeeded)) throw error;
    await loadYamlParser();
    return read();
  }
}

/**
 * Parses JSON, or else YAML; an error names the input, what is wrong and where (line and column, or path).
 * Text over `maxYamlBytes` is read as JSON only (see yamlTooLarge).
 */
export function parseStructured(input: string, text: string, maxYamlBytes?: number): unknown {
  // Text that starts as JSON does was meant as JSON: its JSON error is the one that helps.
  const meantAsJson = /^\s*[[{"]/.test(text);
  let jsonError: unknown;
  // Other text is JSON only if it is a number, true, false or null: when JSON.parse alone refuses it, the
  // JSON error (a walk of the text and a search for where it goes wrong) would never be shown.
  if (meantAsJson || isJson(text)) {
    try {
      return parseJson(text);
    } catch (error) {
      // A number JSON carries but JavaScript would change is wrong in YAML too: no second try.
      if (error instanceof InexactNumberError || !(error instanceof ParseError))
        throw asInputError(input, error, 'JSON', text);
      jsonError = error;
    }
  }
  if (maxYamlBytes !== undefined) {
    const tooLarge = yamlTooLarge(input, text, maxYamlBytes);
    if (tooLarge && meantAsJson && jsonError instanceof ParseError) {
      const why = `${jsonError.message} (text over ${maxYamlBytes} bytes is read as JSON only)`;
      throw new InputError(input, `is not valid JSON: ${why}.`);
    }
    if (tooLarge) throw tooLarge;
  }
  const yaml = loadedYamlParser();
  if (!yaml) throw new YamlParserNeeded();
  try {
    return yaml(text);
  } catch (yamlError) {
    throw asInputError(input, meantAsJson ? jsonError : yamlError, meantAsJson ? 'JSON' : 'YAML', text);
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * An error when the text is too large to read as YAML: js-yaml holds an event of about 120 bytes for every
 * node, so YAML takes up to 150 times its size in memory to read (measured: `[? , ? , …]`), where JSON takes a
 * few times its size. `maxYamlBytes` keeps that within what a runner's Node heap holds.
 */
export function yamlTooLarge(input: string, text: string, maxYamlBytes: number): InputError | undefined {
  // A UTF-16 unit is at most 3 bytes of UTF-8: shorter text needs no count.
  if (text.length * 3 <= maxYamlBytes) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxYamlBytes) return undefined;
  return new InputError(
    input,
    `holds ${bytes} bytes of YAML, more than the ${maxYamlBytes} that are read as YAML (it takes far more ` +
      'memory to read than JSON): write a batch this large as JSON Lines (one JSON object a line) or a JSON array.',
  );
}

/**
 * A parser's error as the input's: a syntax error with its line (and, given the `text`, a hint when it is at
 * an unquoted placeholder), a number that would not arrive as written.
 */
export function asInputError(
  input: string,
  error: unknown,
  language: 'JSON' | 'YAML' = 'JSON',
  text?: string,
): unknown {
  if (error instanceof InexactNumberError) {
    const where = error.path.length > 0 ? ` at ${describePath(error.path)}` : '';
    return new InputError(
      input,
      `holds a number${where} that JSON in JavaScript cannot carry exactly (${error.written}): write it as a string.`,
    );
  }
  if (error instanceof ParseError) {
    const hint = text === undefined ? '' : placeholderHint(text, error);
    return new InputError(input, `is not valid ${language}: ${error.message}${hint}.`);
  }
  return error;
}

/**
 * `${{ … }}` written where JSON or YAML expects a value, not inside a string (`{"sha": ${{ github.sha }}}`)
 * is the syntax error's cause: says to quote it, as the placeholder is filled in string values only. ''
 * when the error is not at a placeholder.
 */
export function placeholderHint(text: string, error: ParseError): string {
  if (!error.position) return '';
  const line = text.split('\n')[error.position.line - 1] ?? '';
  const at = error.position.column - 1;
  for (const match of line.matchAll(/\$\{\{.*?\}\}/g)) {
    const end = match.index + match[0].length;
    if (at >= match.index - 1 && at <= end) {
      return (
        `; the placeholder ${match[0]} must be in quotes, "${match[0]}" (alone in its string it takes the ` +
        "value's own type)"
      );
    }
  }
  return '';
}

/** An object (the payload, a file's payload), in JSON or YAML; anything else names what it is instead. */
export function parseObject(input: string, text: string): Record<string, unknown> {
  return objectOf(input, parseStructured(input, text));
}

/** An already parsed value that must be an object (an item's payload). */
export function objectOf(input: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(input, `must be a JSON or YAML object, not ${describeJsonType(value)}.`);
  }
  return value as Record<string, unknown>;
}

/**
 * The first of `names` that is given, for refusing inputs that cannot go with another; action.yml's default
 * `payload` (`{}`) is no payload and does not count.
 */
export function firstGiven(read: (name: string) => string, names: readonly string[]): string | undefined {
  return names.find((name) => {
    const value = read(name);
    return value !== '' && !(name === 'payload' && isDefaultPayload(value));
  });
}

/**
 * Whether a `payload` input is no payload at all: empty, or action.yml's default `{}` (spaces and new lines
 * aside). Only a payload beyond that conflicts with another source of payload.
 */
export function isDefaultPayload(text: string): boolean {
  return text.replace(/\s/g, '') === '{}' || text === '';
}

/** What a JSON value is, for messages: `null`, `an array`, `an object`, `a string` … */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
