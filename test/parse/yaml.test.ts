// parseYaml: YAML 1.2 core schema read into JSON values; what JSON cannot carry, or what could exhaust
// the runner, is refused with the line and column a reader looks for. And the library stays out of the
// main bundle: it is loaded from a chunk of its own only when YAML is parsed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ParseError } from '../../src/parse/error.ts';
import {
  MAX_ALIAS_EXPANSION,
  loadYamlParser,
  loadedYamlListParser,
  parseYaml,
} from '../../src/parse/yaml.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** Asserts that the text is refused with exactly this reason and position. */
async function refuses(text: string, reason: string, line?: number, column?: number): Promise<void> {
  await assert.rejects(parseYaml(text), (error: unknown) => {
    assert.ok(error instanceof ParseError, `not a ParseError: ${String(error)}`);
    assert.equal(error.reason, reason);
    assert.deepEqual(error.position, line === undefined ? undefined : { line, column });
    return true;
  });
}

/** The classic "billion laughs": each level holds nine aliases of the one before. */
function billionLaughs(levels: number): string {
  let text = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let level = 1; level < levels; level++) {
    text += `a${level}: &a${level} [${Array(9)
      .fill(`*a${level - 1}`)
      .join(', ')}]\n`;
  }
  return text;
}

describe('YAML 1.2 core schema', () => {
  test('a workflow-like document: on, yes, no, off and dates stay strings; true and false are booleans', async () => {
    const text = [
      'on: push',
      'yes: no',
      'off: y',
      'flags: [true, false, True, FALSE]',
      'released: 2024-05-01',
      'nothing: ~',
      'empty:',
      'merge: <<',
    ].join('\n');
    assert.deepEqual(await parseYaml(text), {
      on: 'push',
      yes: 'no',
      off: 'y',
      flags: [true, false, true, false],
      released: '2024-05-01',
      nothing: null,
      empty: null,
      merge: '<<',
    });
  });

  test('nested maps and lists, flow and block, numbers of every core form', async () => {
    const text = [
      'model:',
      '  name: churn',
      '  metrics: {auc: 0.91, rows: 12000, delta: -1.5e-3}',
      '  tags:',
      '    - nightly',
      '    - {team: data, hex: 0x1F, octal: 0o17}',
      '  note: |',
      '    two',
      '    lines',
      "  quoted: 'it''s \"fine\"'",
      '  underscored: 1_000',
    ].join('\n');
    assert.deepEqual(await parseYaml(text), {
      model: {
        name: 'churn',
        metrics: { auc: 0.91, rows: 12000, delta: -0.0015 },
        tags: ['nightly', { team: 'data', hex: 31, octal: 15 }],
        note: 'two\nlines\n',
        quoted: 'it\'s "fine"',
        underscored: '1_000',
      },
    });
  });

  test('core tags are allowed: !!str keeps a number as text', async () => {
    assert.deepEqual(await parseYaml('id: !!str 12345\ncount: !!int "7"'), { id: '12345', count: 7 });
  });

  test('a byte order mark is dropped, and positions after it count from the first character', async () => {
    assert.deepEqual(await parseYaml('\uFEFFa: 1'), { a: 1 });
    await refuses('\uFEFFa: 1\na: 2', 'The key "a" appears twice in the same map: give each key once', 2, 1);
  });

  test('JSON is YAML too', async () => {
    assert.deepEqual(await parseYaml('{"a": [1, "two", null, {"b": false}]}'), {
      a: [1, 'two', null, { b: false }],
    });
  });

  test('a __proto__ key is an ordinary key and pollutes nothing', async () => {
    const value = (await parseYaml('__proto__: {polluted: true}')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(value), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('loadYamlParser gives a synchronous parser with the same rules', async () => {
    const parse = await loadYamlParser();
    assert.deepEqual(parse('on: [push]'), { on: ['push'] });
    assert.throws(() => parse('a: !!binary aGk='), { name: 'ParseError' });
  });
});

describe('refused, with the line and column', () => {
  test('custom and non-core tags', async () => {
    const only = "only YAML's core types are (strings, numbers, booleans, null, lists and maps)";
    await refuses(
      'run: !!js/function "function () {}"',
      `The tag !!js/function is not supported: ${only}`,
      1,
      6,
    );
    await refuses('a: 1\nb: !!binary aGk=', `The tag !!binary is not supported: ${only}`, 2, 4);
    await refuses('x: !custom {a: 1}', `The tag !custom is not supported: ${only}`, 1, 4);
  });

  test('duplicate keys', async () => {
    await refuses('a: 1\nb: 2\na: 3', 'The key "a" appears twice in the same map: give each key once', 3, 1);
    await refuses(
      'x:\n  "k": 1\n  k: 2',
      'The key "k" appears twice in the same map: give each key once',
      3,
      3,
    );
  });

  test('syntax errors', async () => {
    await refuses('a: 1\nb: [1, 2\nc: 3', 'Deficient indentation', 3, 1);
    await refuses('a:\n  - b\n c: d', 'Bad indentation of a mapping entry', 3, 2);
    await refuses('a: *nowhere', 'Unidentified alias "nowhere"', 1, 5);
  });

  test('a key that is a list or a map', async () => {
    await refuses('? [a, b]\n: 1', 'A key is a list or a map: keys must be strings', 1, 1);
  });

  test('a stream of several documents: the second one is named', async () => {
    const reason =
      'The text holds more than one YAML document (a "---" line starts another): give one document';
    await refuses('a: 1\n---\nb: 2', reason, 2, 1);
    await refuses('---\na: 1\n---\n', reason, 3, 1);
    assert.deepEqual(await parseYaml('---\na: 1\n...\n'), { a: 1 });
  });

  test('an empty text, or only comments', async () => {
    await refuses('', 'There is no YAML value: the text is empty or only comments');
    await refuses('# nothing here\n', 'There is no YAML value: the text is empty or only comments');
  });

  test('numbers JavaScript would change: past 2^53, rounded decimals, infinities, NaN; also as keys', async () => {
    await refuses(
      'run:\n  id: 9007199254740993',
      'The number 9007199254740993 cannot be carried exactly in JSON (it would be 9007199254740992): write it as a string',
      2,
      7,
    );
    await refuses(
      '12345678901234567890: x',
      'The number 12345678901234567890 cannot be carried exactly in JSON (it would be 12345678901234567000): write it as a string',
      1,
      1,
    );
    await refuses(
      'x: [1, -.inf]',
      'The number -.inf cannot be carried exactly in JSON (it would be -Infinity): write it as a string',
      1,
      8,
    );
    await refuses(
      'x: .nan',
      'The number .nan cannot be carried exactly in JSON (it would be NaN): write it as a string',
      1,
      4,
    );
    await refuses(
      'pi: 3.14159265358979323846',
      'The number 3.14159265358979323846 cannot be carried exactly in JSON (it would be 3.141592653589793): write it as a string',
      1,
      5,
    );
    // Written as strings they pass, exactly; and numbers a double holds exactly pass in any spelling.
    assert.deepEqual(
      await parseYaml(
        'id: "9007199254740993"\nmax: 9007199254740991\nsome: [1.0, 1e2, +12, .5, 5., 0.1, -0.0, 1e20, 0x1F]',
      ),
      { id: '9007199254740993', max: 9007199254740991, some: [1, 100, 12, 0.5, 5, 0.1, -0, 1e20, 31] },
    );
  });
});

describe("a top-level list: each item's line", () => {
  async function listParser() {
    await loadYamlParser();
    const parse = loadedYamlListParser();
    assert.ok(parse, 'loadYamlParser loads the list parser too');
    return parse;
  }

  test('an item starts where its node does: after comments, a document marker, a "-" alone on its line', async () => {
    const parse = await listParser();
    const text = [
      '\uFEFF# events of the nightly build',
      '---',
      '- event: acme.one',
      '  payload: {rows: 1}',
      '',
      '-',
      '  event: acme.two',
      '- &shared !!map',
      '  event: acme.three',
      '- *shared',
      '- [1,',
      '   2]',
    ].join('\n');
    assert.deepEqual(parse(text), {
      value: [
        { event: 'acme.one', payload: { rows: 1 } },
        { event: 'acme.two' },
        { event: 'acme.three' },
        { event: 'acme.three' },
        [1, 2],
      ],
      itemLines: [3, 7, 8, 10, 11],
    });
  });

  test('an empty item or a block scalar is at its "-", not taken for a nested empty item\'s', async () => {
    const parse = await listParser();
    const text = ['- - x', '  -', '-', '- |', '  text', '- event:', '-   ', '- "s"'].join('\n');
    assert.deepEqual(parse(text), {
      value: [['x', null], null, 'text\n', { event: null }, null, 's'],
      itemLines: [1, 3, 4, 6, 7, 8],
    });
  });

  test('a flow list gives the line of each item; anything else has no item lines', async () => {
    const parse = await listParser();
    assert.deepEqual(parse('[{event: a},\n {event: b}]'), {
      value: [{ event: 'a' }, { event: 'b' }],
      itemLines: [1, 2],
    });
    assert.deepEqual(parse('event: a'), { value: { event: 'a' } });
    assert.deepEqual(parse('42'), { value: 42 });
  });

  test('the same rules as parseYaml: duplicate keys, tags, numbers, documents are refused with their place', async () => {
    const parse = await listParser();
    const cases: [string, RegExp][] = [
      [
        '- a: 1\n  a: 2',
        /^The key "a" appears twice in the same map: give each key once at line 2, column 3$/,
      ],
      ['- !!binary aGk=', /^The tag !!binary is not supported: /],
      ['- 9007199254740993', /^The number 9007199254740993 cannot be carried exactly in JSON/],
      ['- a\n---\n- b', /^The text holds more than one YAML document .* at line 2, column 1$/],
      [
        billionLaughs(7).replace(/^/gm, '  ').replace(/^ {2}/, '- '),
        /^Aliases repeat more than 100,000 values/,
      ],
    ];
    for (const [text, message] of cases) assert.throws(() => parse(text), { name: 'ParseError', message });
  });

  test('a thousand items, each at its line', async () => {
    const parse = await listParser();
    const text = Array.from({ length: 1000 }, (_, i) => `- event: acme.e${i}\n  payload: {i: ${i}}`).join(
      '\n',
    );
    const { itemLines } = parse(text);
    assert.deepEqual(
      itemLines,
      Array.from({ length: 1000 }, (_, i) => 2 * i + 1),
    );
  });
});

describe('aliases', () => {
  test('a few aliases are fine, and give equal values', async () => {
    const value = await parseYaml('base: &base {region: eu, tier: [gold]}\nprimary: *base\nbackup: *base');
    assert.deepEqual(value, {
      base: { region: 'eu', tier: ['gold'] },
      primary: { region: 'eu', tier: ['gold'] },
      backup: { region: 'eu', tier: ['gold'] },
    });
  });

  test(`aliases may repeat up to ${MAX_ALIAS_EXPANSION} values, not one more`, async () => {
    // A list of 1000 items, repeated through aliases: each alias repeats 1001 values (the list and items).
    const list = `big: &big [${Array(1000).fill('x').join(', ')}]\n`;
    const uses = (count: number) => `uses: [${Array(count).fill('*big').join(', ')}]\n`;
    const fits = Math.floor(MAX_ALIAS_EXPANSION / 1001);
    const value = (await parseYaml(list + uses(fits))) as { uses: unknown[] };
    assert.equal(value.uses.length, fits);
    await refuses(
      list + uses(fits + 1),
      'Aliases repeat more than 100,000 values: write the values out',
      2,
      8,
    );
  });

  test('an alias inside the value its anchor names is refused at the alias, not a stack overflow', async () => {
    const cycle = (name: string) =>
      `The alias *${name} is inside the value anchored as &${name}, which would then hold itself without end: ` +
      'an alias can only repeat a value that ends before the alias';
    await refuses('a: &x [*x]', cycle('x'), 1, 8);
    await refuses('&x {b: *x}', cycle('x'), 1, 8);
    await refuses('- &top\n  - a\n  - {b: [*top]}', cycle('top'), 3, 10);
    // A mapping's key too, and the list parser of events files.
    await refuses('&k {*k : 1}', cycle('k'), 1, 5);
    await loadYamlParser();
    const parse = loadedYamlListParser();
    assert.ok(parse);
    assert.throws(() => parse('- event: a\n- &x {event: b, payload: {self: *x}}'), {
      name: 'ParseError',
      message: `${cycle('x')} at line 2, column 33`,
    });
  });

  test('an alias of a value that ended before it is no cycle, even when an open one had that anchor', async () => {
    assert.deepEqual(await parseYaml('a: &x [1]\nb: [*x, *x]'), { a: [1], b: [[1], [1]] });
    // The anchor is defined again inside the open list: the alias names that later, complete value.
    assert.deepEqual(await parseYaml('a: &x [&x 1, *x]'), { a: [1, 1] });
  });

  test('a billion laughs fails fast', async () => {
    const started = performance.now();
    await refuses(billionLaughs(10), 'Aliases repeat more than 100,000 values: write the values out', 2, 10);
    assert.ok(performance.now() - started < 1000, `took ${performance.now() - started} ms`);
  });

  test('a billion laughs fails in bounded memory: a 64 MB heap is enough', () => {
    const script = [
      `import { parseYaml } from ${JSON.stringify(join(ROOT, 'src/parse/yaml.ts'))};`,
      `await parseYaml(${JSON.stringify(billionLaughs(20))}).catch((error) => console.log(error.message));`,
    ].join('\n');
    const child = spawnSync(
      process.execPath,
      ['--max-old-space-size=64', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    assert.equal(child.stderr, '');
    assert.equal(
      child.stdout,
      'Aliases repeat more than 100,000 values: write the values out at line 2, column 10\n',
    );
  });
});

describe('the bundle', () => {
  const out = mkdtempSync(join(tmpdir(), 'emit-prefect-event-bundle-'));
  after(() => rmSync(out, { recursive: true, force: true }));
  // Something only js-yaml's code says.
  const LIBRARY_MARKER = 'tab characters must not be used in indentation';

  test('keeps the YAML library out of the entries, in a chunk loaded when YAML is parsed', () => {
    const build = spawnSync(
      process.execPath,
      ['scripts/bundle.mjs', `--outdir=${out}`, 'src/index.ts', 'src/parse/yaml.ts'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    assert.equal(build.status, 0, build.stderr);
    assert.ok(!readFileSync(join(out, 'index.js'), 'utf8').includes(LIBRARY_MARKER));
    assert.ok(!readFileSync(join(out, 'parse', 'yaml.js'), 'utf8').includes(LIBRARY_MARKER));
    const chunks = readdirSync(join(out, 'chunks')).filter((name) =>
      readFileSync(join(out, 'chunks', name), 'utf8').includes(LIBRARY_MARKER),
    );
    // A bundle of its own (scripts/bundle.mjs), built once whatever the entries, and loaded by each that parses YAML.
    assert.equal(chunks.length, 1);
    assert.match(readFileSync(join(out, 'licenses.txt'), 'utf8'), /^js-yaml@\d+\.\d+\.\d+ \(MIT\)$/m);

    // The built module, run from the bundle alone (no node_modules next to it), loads the chunk.
    const script = [
      `const { parseYaml } = await import(${JSON.stringify(join(out, 'parse', 'yaml.js'))});`,
      `console.log(JSON.stringify(await parseYaml('on: push\\nyes: [no, 1]')));`,
      `await parseYaml('a: !!js/function x').catch((error) => console.log(error.name, error.message));`,
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: out,
      encoding: 'utf8',
    });
    assert.equal(run.stderr, '');
    assert.equal(
      run.stdout,
      '{"on":"push","yes":["no",1]}\n' +
        "ParseError The tag !!js/function is not supported: only YAML's core types are (strings, numbers, " +
        'booleans, null, lists and maps) at line 1, column 4\n',
    );
    assert.ok(existsSync(join(out, 'chunks')));
  });
});

describe('a float too large for a double', () => {
  test('is refused with its line and column, not kept as text', async () => {
    await assert.rejects(parseYaml('a: 1\nb: 1e400'), {
      name: 'ParseError',
      message:
        'The number 1e400 is too large for JSON in JavaScript: write it as a string at line 2, column 4',
    });
    assert.deepEqual(await parseYaml('a: 1e3\nb: "1e400"'), { a: 1000, b: '1e400' });
  });
});
