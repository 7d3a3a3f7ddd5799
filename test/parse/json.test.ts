// parseJson: values as written, syntax errors with line and column, numbers JavaScript would change.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ParseError } from '../../src/parse/error.ts';
import { InexactNumberError, parseJson } from '../../src/parse/json.ts';

describe('parseJson', () => {
  test('values as written; spellings of the same number are the same number', () => {
    assert.deepEqual(parseJson('{"a": [1.0, 1e2, -0, 0.10, 9007199254740991], "b": "\\u00e9"}'), {
      a: [1, 100, -0, 0.1, 9007199254740991],
      b: 'é',
    });
  });

  test('a syntax error is a ParseError with the line and column where it is', () => {
    assert.throws(
      () => parseJson('{\n  "a": 1,\n}'),
      (error: unknown) => {
        assert.ok(error instanceof ParseError);
        assert.deepEqual(error.position, { line: 3, column: 1 });
        assert.equal(error.message, 'Expected double-quoted property name at line 3, column 1');
        return true;
      },
    );
    assert.throws(() => parseJson('version=1'), { message: 'Unexpected token "v" at line 1, column 1' });
    assert.throws(() => parseJson('{"a": '), { message: 'Unexpected end of JSON input at line 1, column 7' });
  });

  test('a number that would arrive changed is refused, as written, with its path', () => {
    for (const [text, written, path] of [
      ['{"id": 9007199254740993}', '9007199254740993', ['id']],
      ['[0, {"r": 0.100000000000000000000000000001}]', '0.100000000000000000000000000001', [1, 'r']],
      ['{"x": 1e400}', '1e400', ['x']],
      ['{"x": -1e400}', '-1e400', ['x']],
      // The whole value: no path.
      ['1e400', '1e400', []],
      [' 12345678901234567890 ', '12345678901234567890', []],
    ] as const) {
      assert.throws(
        () => parseJson(text),
        (error: unknown) => {
          assert.ok(error instanceof InexactNumberError, text);
          assert.equal(error.written, written);
          assert.deepEqual(error.path, path);
          return true;
        },
      );
    }
  });

  test('nesting deeper than 200 levels is refused before parsing; brackets in strings do not count', () => {
    assert.throws(() => parseJson('['.repeat(201) + ']'.repeat(201)), {
      message: 'Nested deeper than 200 levels at line 1, column 201',
    });
    assert.deepEqual(parseJson(`["${'['.repeat(500)}"]`), ['['.repeat(500)]);
    assert.equal(JSON.stringify(parseJson('['.repeat(200) + ']'.repeat(200))).length, 400);
  });
});

describe('duplicate keys', () => {
  test('the same key twice in one object is refused where the second stands, compared as decoded', () => {
    assert.throws(() => parseJson('{"a": 1,\n "a": 2}'), {
      message: 'The key "a" appears twice in the same object: give each key once at line 2, column 2',
    });
    assert.throws(() => parseJson('{"a": 1, "\\u0061": 2}'), { message: /The key "a" appears twice/ });
  });

  test('the same key in different objects, and the same string as values, are fine', () => {
    assert.deepEqual(parseJson('{"a": 1, "b": {"a": 2}, "c": [{"a": "a"}, {"a": "a:"}]}'), {
      a: 1,
      b: { a: 2 },
      c: [{ a: 'a' }, { a: 'a:' }],
    });
  });

  test('a value that looks like a key end hides no repeated key, deep down or in a long text', () => {
    assert.throws(() => parseJson('{"a": ":", "b": {"c": 1, "c": 2}}'), {
      message: /The key "c" appears twice/,
    });
    const long = `{"p": "${'x'.repeat(300)}", "q": [{"r": ":"}], "q": 1}`;
    assert.throws(() => parseJson(long), { message: /The key "q" appears twice/ });
  });
});
