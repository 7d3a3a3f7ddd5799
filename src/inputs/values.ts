// Structured text from an input or a file -> a value, with errors that name the source and the line.
import { ParseError } from '../parse/error.ts';
import { InexactNumberError, parseJson } from '../parse/json.ts';
import { describePath } from '../event/schema.ts';
import { InputError } from './source.ts';

/** Parses JSON; an error names the input, what is wrong and where (line and column, or the value's path). */
export function parseStructured(input: string, text: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    throw asInputError(input, error);
  }
}

/** A parser's error as the input's: a syntax error with its line, a number that would not arrive as written. */
export function asInputError(input: string, error: unknown): unknown {
  if (error instanceof InexactNumberError) {
    const where = error.path.length > 0 ? ` at ${describePath(error.path)}` : '';
    return new InputError(
      input,
      `holds a number${where} that JSON in JavaScript cannot carry exactly (${error.written}): write it as a string.`,
    );
  }
  if (error instanceof ParseError) return new InputError(input, `is not valid JSON: ${error.message}.`);
  return error;
}

/** A JSON object (the payload, a file's payload); anything else names what it is instead. */
export function parseObject(input: string, text: string): Record<string, unknown> {
  return objectOf(input, parseStructured(input, text));
}

/** An already parsed value that must be an object (an item's payload). */
export function objectOf(input: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(input, `must be a JSON object, not ${describeJsonType(value)}.`);
  }
  return value as Record<string, unknown>;
}

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
