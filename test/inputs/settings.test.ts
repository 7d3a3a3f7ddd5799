// readSettings: every input of action.yml, its environment fallback, and the exact error a user reads.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from '../../src/event/build.ts';
import { originOf, type EventSpec } from '../../src/event/spec.ts';
import { readSettings, type Settings } from '../../src/inputs/settings.ts';
import { inputDefaults } from '../../tools/action-yml.ts';
import { readWaitSettings } from '../../src/inputs/wait.ts';
import { loadYamlParser } from '../../src/parse/yaml.ts';

// A timestamp without an offset must be read as UTC whatever the runner's zone is: run in a zone where
// reading it as local time would give another instant.
process.env.TZ = 'America/New_York';

type Flat = Omit<Settings, 'specs'> & Omit<EventSpec, 'origin'>;

/**
 * readSettings with the inputs the runner would pass (missing ones read as ''), and an explicit env; the one
 * event spec's fields (without its origin) side by side with the delivery settings, as a user thinks of them.
 */
function settings(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Flat {
  const { specs, ...rest } = readSettings((name) => inputs[name] ?? '', env);
  assert.equal(specs.length, 1);
  const { origin: _origin, ...spec } = specs[0] as EventSpec;
  return { ...spec, ...rest };
}

/** Asserts that these inputs fail with exactly this message. */
function rejects(inputs: Record<string, string>, message: string, env: NodeJS.ProcessEnv = {}): void {
  assert.throws(() => settings({ event: 'acme.model.deployed', ...inputs }, env), {
    name: 'InputError',
    message,
  });
}

/** What the settings say of an environment variable the runner gave the step (no input involved). */
function rejectsVariable(env: NodeJS.ProcessEnv, message: string): void {
  assert.throws(() => settings(EVENT, env), { name: 'ClientSettingError', message });
}

const EVENT = { event: 'acme.model.deployed' };

// As the main step does when some input is not JSON (test/inputs/yaml-on-demand.test.ts: only then).
before(async () => {
  await loadYamlParser();
});

const workspace = mkdtempSync(join(tmpdir(), 'emit-prefect-event-inputs-'));
after(() => rmSync(workspace, { recursive: true, force: true }));

describe('defaults', () => {
  test('only an event given: the documented defaults, nothing to send to', () => {
    assert.deepEqual(settings(EVENT), {
      event: 'acme.model.deployed',
      related: [],
      payload: {},
      githubContext: true,
      dryRun: false,
      failOnError: true,
      retries: 3,
      timeoutMs: 10_000,
      summary: true,
    });
  });

  test("action.yml's declared defaults read the same as inputs left empty", () => {
    const defaults = inputDefaults();
    assert.deepEqual(defaults, {
      payload: '{}',
      'github-context': 'true',
      'dry-run': 'false',
      'fail-on-error': 'true',
      retries: '3',
      timeout: '10',
      summary: 'true',
      'job-status': '${{ job.status }}',
      'github-token': '${{ github.token }}',
      'wait-for': 'nothing',
      'wait-timeout': '600',
    });
    // job-status is the post step's, evaluated by the runner; the main step reads none of it. github-token
    // is read only with workflow-run; the wait's inputs on their own (inputs/wait.ts).
    const {
      'job-status': _jobStatus,
      'github-token': _token,
      'wait-for': waitFor,
      'wait-timeout': waitTimeout,
      ...mainDefaults
    } = defaults;
    assert.deepEqual(settings({ ...mainDefaults, ...EVENT }), settings(EVENT));
    const wait = (inputs: Record<string, string>) => readWaitSettings((name) => inputs[name] ?? '');
    assert.deepEqual(wait({ 'wait-for': waitFor ?? '', 'wait-timeout': waitTimeout ?? '' }), wait({}));
  });
});

describe('event', () => {
  test('is required', () => {
    rejects(
      { event: '' },
      'Input "event" is required (or "events" or "events-file" for several events): name the event, e.g. "acme.model.deployed".',
    );
  });

  test('may be 1024 characters, not 1025', () => {
    assert.equal(settings({ event: 'e'.repeat(1024) }).event, 'e'.repeat(1024));
    rejects({ event: 'e'.repeat(1025) }, 'Input "event" is 1025 characters; Prefect allows at most 1024.');
  });

  test('counts characters as Prefect does (code points), not UTF-16 units', () => {
    // Prefect checks len(name) in Python: 1024 emoji are 1024 characters (2048 UTF-16 units).
    assert.equal(settings({ event: '🚀'.repeat(1024) }).event, '🚀'.repeat(1024));
    rejects({ event: '🚀'.repeat(1025) }, 'Input "event" is 1025 characters; Prefect allows at most 1024.');
  });
});

describe('event: what cannot reach the log as a line of its own', () => {
  test('a new line (a workflow command after it) or another control character is refused', () => {
    const message = 'Input "event" must not hold control characters such as a new line.';
    rejects({ event: 'acme.deployed\n::stop-commands::x' }, message);
    rejects({ event: 'acme.deployed\r::error::x' }, message);
    rejects({ event: 'acme.\u0000deployed' }, message);
  });
});

describe('labels named __proto__', () => {
  test('stay labels, from JSON and from key=value lines', () => {
    const fromJson = settings({
      ...EVENT,
      resource: '{"prefect.resource.id": "x", "__proto__": "y"}',
    }).resource;
    assert.equal(JSON.stringify(fromJson), '{"prefect.resource.id":"x","__proto__":"y"}');
    const fromLines = settings({ ...EVENT, resource: 'prefect.resource.id=x\n__proto__=y' }).resource;
    assert.equal(JSON.stringify(fromLines), '{"prefect.resource.id":"x","__proto__":"y"}');
  });
});

describe('resource', () => {
  const NO_ID =
    'Input "resource" has no non-empty "prefect.resource.id" label: give a bare id such as "acme.model.churn", ' +
    'a line "prefect.resource.id=acme.model.churn", or a JSON or YAML object with that label.';
  const NOT_A_LABEL_VALUE =
    'must be a string, number or boolean (null, arrays and objects are not label values).';

  test('left out: absent, so the workflow run becomes the primary resource', () => {
    assert.equal('resource' in settings(EVENT), false);
  });

  test('a JSON object of labels; numbers and booleans become their string form', () => {
    const resource =
      '{"prefect.resource.id": "acme.model.churn", "acme.version": 14, "acme.ratio": 0.5, "acme.live": true}';
    assert.deepEqual(settings({ ...EVENT, resource }).resource, {
      'prefect.resource.id': 'acme.model.churn',
      'acme.version': '14',
      'acme.ratio': '0.5',
      'acme.live': 'true',
    });
  });

  test('null, array and object label values are rejected, naming the label', () => {
    const id = '"prefect.resource.id": "acme.model.churn"';
    rejects(
      { resource: `{${id}, "owner": null}` },
      `Input "resource" is invalid at owner: it ${NOT_A_LABEL_VALUE}`,
    );
    rejects(
      { resource: `{${id}, "acme.tags": ["a", "b"]}` },
      `Input "resource" is invalid at "acme.tags": it ${NOT_A_LABEL_VALUE}`,
    );
    rejects(
      { resource: `{${id}, "acme.owner": {"team": "ml"}}` },
      `Input "resource" is invalid at "acme.owner": it ${NOT_A_LABEL_VALUE}`,
    );
  });

  test('a JSON object that is not JSON names the line and column', () => {
    rejects(
      { resource: '{"prefect.resource.id": "acme.model.churn",\n "acme.version": [14}' },
      "Input \"resource\" is not valid JSON: Expected ',' or ']' after array element at line 2, column 21.",
    );
  });

  test('a YAML map of labels; YAML 1.2 keeps yes and on as words', () => {
    assert.deepEqual(
      settings({
        ...EVENT,
        resource: 'prefect.resource.id: acme.model.churn\nacme.version: 14\nacme.live: yes',
      }).resource,
      { 'prefect.resource.id': 'acme.model.churn', 'acme.version': '14', 'acme.live': 'yes' },
    );
  });

  test('a bare id', () => {
    assert.deepEqual(settings({ ...EVENT, resource: 'acme.model.churn' }).resource, {
      'prefect.resource.id': 'acme.model.churn',
    });
  });

  test('key=value lines, skipping blank and # lines, trimming around the =, keeping later = in the value', () => {
    const resource = [
      '# the model we deployed',
      'prefect.resource.id = acme.model.churn',
      '',
      '   ',
      'prefect.resource.name=Churn model',
      '  # a comment line with key=value inside',
      'acme.query=region=eu',
    ].join('\r\n');
    assert.deepEqual(settings({ ...EVENT, resource }).resource, {
      'prefect.resource.id': 'acme.model.churn',
      'prefect.resource.name': 'Churn model',
      'acme.query': 'region=eu',
    });
  });

  test('a key=value line without = is rejected with its line number', () => {
    rejects(
      { resource: 'prefect.resource.id=acme.model.churn\n\nChurn model' },
      'Input "resource" line 3 is not a key=value line: "Churn model".',
    );
    rejects(
      { resource: 'prefect.resource.id=acme.model.churn\n=orphan value' },
      'Input "resource" line 2 is not a key=value line: "=orphan value".',
    );
  });

  test('a key=value label given twice is rejected with both line numbers', () => {
    rejects(
      { resource: 'prefect.resource.id=acme.model.churn\n# note\nacme.stage=dev\nacme.stage = prod' },
      'Input "resource" line 4 gives the label "acme.stage" again (first on line 3): give each label once.',
    );
  });

  test('without a non-empty prefect.resource.id it is rejected, in every form', () => {
    rejects({ resource: '{"prefect.resource.name": "Churn model"}' }, NO_ID);
    rejects({ resource: '{"prefect.resource.id": ""}' }, NO_ID);
    rejects({ resource: 'prefect.resource.name=Churn model' }, NO_ID);
    rejects({ resource: 'prefect.resource.id=' }, NO_ID);
    rejects({ resource: '# prefect.resource.id=acme.model.churn' }, NO_ID);
  });

  test('a bare value with spaces is rejected', () => {
    rejects(
      { resource: 'Churn model' },
      'Input "resource" must be a JSON or YAML object of labels, a bare resource id without spaces, or key=value lines.',
    );
  });

  test('more than 500 labels is rejected', () => {
    const labels: Record<string, string> = { 'prefect.resource.id': 'acme.model.churn' };
    for (let i = 1; i < 500; i++) labels[`acme.label-${i}`] = 'x';
    assert.equal(
      Object.keys(settings({ ...EVENT, resource: JSON.stringify(labels) }).resource ?? {}).length,
      500,
    );
    labels['acme.label-500'] = 'x';
    rejects(
      { resource: JSON.stringify(labels) },
      'Input "resource" is invalid: it has more than 500 labels, Prefect\'s limit for one resource.',
    );
  });
});

describe('related', () => {
  test('left out: none', () => {
    assert.deepEqual(settings(EVENT).related, []);
  });

  test('a JSON array of resources, in order, with label values as strings', () => {
    const related = JSON.stringify([
      {
        'prefect.resource.id': 'acme.dataset.customers',
        'prefect.resource.role': 'dataset',
        'acme.rows': 120000,
      },
      { 'prefect.resource.id': 'acme.team.ml', 'prefect.resource.role': 'owner', 'acme.on-call': false },
    ]);
    assert.deepEqual(settings({ ...EVENT, related }).related, [
      {
        'prefect.resource.id': 'acme.dataset.customers',
        'prefect.resource.role': 'dataset',
        'acme.rows': '120000',
      },
      { 'prefect.resource.id': 'acme.team.ml', 'prefect.resource.role': 'owner', 'acme.on-call': 'false' },
    ]);
  });

  test('not JSON: the problem with its line and column', () => {
    rejects(
      { related: '[\n  {"prefect.resource.id": "acme.team.ml",\n   "prefect.resource.role": [owner}\n]' },
      'Input "related" is not valid JSON: Unexpected token "o" at line 3, column 30.',
    );
    rejects(
      { related: '- prefect.resource.id: acme.team.ml\n  prefect.resource.role: [owner' },
      'Input "related" is not valid YAML: Unexpected end of the stream within a flow collection at line 2, column 32.',
    );
    rejects(
      { related: '[{"prefect.resource.id": "acme.team.ml"' },
      `Input "related" is not valid JSON: Expected ',' or '}' after property value at line 1, column 40.`,
    );
    const line2 = '  {"prefect.resource.id": "acme.team.ml", "prefect.resource.role": "owner"},';
    rejects(
      { related: `[\n${line2}` },
      `Input "related" is not valid JSON: Unexpected end of JSON input at line 2, column ${line2.length + 1}.`,
    );
  });

  test('not an array', () => {
    rejects(
      { related: '{"prefect.resource.id": "acme.team.ml", "prefect.resource.role": "owner"}' },
      'Input "related" is invalid: it must be a list of resources.',
    );
  });

  test('an item without role or id is rejected, naming its index', () => {
    const ok = '{"prefect.resource.id": "acme.team.ml", "prefect.resource.role": "owner"}';
    rejects(
      { related: `[${ok}, {"prefect.resource.id": "acme.dataset.customers"}]` },
      'Input "related" is invalid at [1]: it needs a non-empty "prefect.resource.role" label.',
    );
    rejects(
      { related: `[${ok}, ${ok}, {"prefect.resource.id": "acme.x", "prefect.resource.role": ""}]` },
      'Input "related" is invalid at [2]: it needs a non-empty "prefect.resource.role" label.',
    );
    rejects(
      { related: '[{"prefect.resource.role": "owner"}]' },
      'Input "related" is invalid at [0]: it needs a non-empty "prefect.resource.id" label.',
    );
    rejects(
      { related: '["acme.team.ml"]' },
      'Input "related" is invalid at [0]: it must be an object of labels.',
    );
  });

  test('label values must be strings, numbers or booleans, naming the item and the label', () => {
    rejects(
      {
        related:
          '[{"prefect.resource.id": "acme.team.ml", "prefect.resource.role": "owner", "acme.members": ["a"]}]',
      },
      'Input "related" is invalid at [0]."acme.members": it must be a string, number or boolean ' +
        '(null, arrays and objects are not label values).',
    );
    rejects(
      { related: '[{"prefect.resource.id": "acme.team.ml", "prefect.resource.role": null}]' },
      'Input "related" is invalid at [0]."prefect.resource.role": it must be a string, number or boolean ' +
        '(null, arrays and objects are not label values).',
    );
  });
});

describe('payload', () => {
  test('a JSON object, kept with its types (only labels are strings)', () => {
    const payload =
      '{"version": "1.4.0", "metrics": {"auc": 0.91, "rows": 120000}, "tags": ["a"], "live": true, "note": null}';
    assert.deepEqual(settings({ ...EVENT, payload }).payload, {
      version: '1.4.0',
      metrics: { auc: 0.91, rows: 120000 },
      tags: ['a'],
      live: true,
      note: null,
    });
  });

  test('not JSON, with line and column', () => {
    rejects(
      { payload: '{"version": "1.4.0",, "rows": 3}' },
      'Input "payload" is not valid JSON: Expected double-quoted property name at line 1, column 21.',
    );
  });

  test('YAML, with the types of YAML 1.2 core: on and yes stay words', () => {
    assert.deepEqual(
      settings({ ...EVENT, payload: 'version: 1.4.0\non: push\nrows: 12\nlive: true' }).payload,
      {
        version: '1.4.0',
        on: 'push',
        rows: 12,
        live: true,
      },
    );
    assert.deepEqual(settings({ ...EVENT, payload: "{version: '1.4.0'}" }).payload, { version: '1.4.0' });
  });

  test('YAML errors name the line and column; what YAML allows but JSON cannot carry is refused', () => {
    rejects(
      { payload: 'a: 1\na: 2' },
      'Input "payload" is not valid YAML: The key "a" appears twice in the same map: give each key once at line 2, column 1.',
    );
    rejects(
      { payload: 'a: !!js/function "x"' },
      'Input "payload" is not valid YAML: The tag !!js/function is not supported: only YAML\'s core types are ' +
        '(strings, numbers, booleans, null, lists and maps) at line 1, column 4.',
    );
    rejects(
      { payload: 'big: 12345678901234567890' },
      'Input "payload" is not valid YAML: The number 12345678901234567890 cannot be carried exactly in JSON ' +
        '(it would be 12345678901234567000): write it as a string at line 1, column 6.',
    );
    rejects({ payload: 'version=1.4.0' }, 'Input "payload" must be a JSON or YAML object, not a string.');
  });

  test('not an object', () => {
    rejects(
      { payload: '[{"version": "1.4.0"}]' },
      'Input "payload" must be a JSON or YAML object, not an array.',
    );
    rejects({ payload: '"1.4.0"' }, 'Input "payload" must be a JSON or YAML object, not a string.');
    rejects({ payload: '14' }, 'Input "payload" must be a JSON or YAML object, not a number.');
    rejects({ payload: 'null' }, 'Input "payload" must be a JSON or YAML object, not null.');
  });
});

describe('payload-file', () => {
  mkdirSync(join(workspace, 'out'), { recursive: true });
  writeFileSync(join(workspace, 'out', 'payload.json'), '{\n  "version": "1.4.0",\n  "auc": 0.91\n}\n');
  writeFileSync(join(workspace, 'out', 'broken.json'), '{\n  "version": "1.4.0",\n  "auc": 0.91,\n  ,\n}\n');
  writeFileSync(join(workspace, 'out', 'list.json'), '[1, 2]');
  const env = { GITHUB_WORKSPACE: workspace };

  test('a path relative to GITHUB_WORKSPACE', () => {
    assert.deepEqual(settings({ ...EVENT, 'payload-file': 'out/payload.json' }, env).payload, {
      version: '1.4.0',
      auc: 0.91,
    });
  });

  test('an absolute path inside the workspace; one outside it is refused', () => {
    const absolute = join(workspace, 'out', 'payload.json');
    assert.deepEqual(settings({ ...EVENT, 'payload-file': absolute }, env).payload, {
      version: '1.4.0',
      auc: 0.91,
    });
    const elsewhere = { GITHUB_WORKSPACE: join(workspace, 'out', 'sub') };
    mkdirSync(elsewhere.GITHUB_WORKSPACE, { recursive: true });
    rejects(
      { 'payload-file': absolute },
      `Input "payload-file" names ${JSON.stringify(absolute)}, which is outside the workspace ` +
        `(${elsewhere.GITHUB_WORKSPACE}): give a file in the repository's checkout.`,
      elsewhere,
    );
  });

  test('a missing file, naming the full path', () => {
    rejects(
      { 'payload-file': 'out/missing.json' },
      `Input "payload-file" names a file that does not exist: ${join(workspace, 'out', 'missing.json')}.`,
      env,
    );
  });

  test('a directory', () => {
    rejects(
      { 'payload-file': 'out' },
      `Input "payload-file" names a directory, not a file: ${join(workspace, 'out')}.`,
      env,
    );
  });

  test('a placeholder outside quotes: the JSON error says to quote it', () => {
    writeFileSync(join(workspace, 'out', 'unquoted.json'), '{\n  "sha": ${{ github.sha }},\n  "n": 1\n}\n');
    rejects(
      { 'payload-file': 'out/unquoted.json' },
      'Input "payload-file" (out/unquoted.json) is not valid JSON: Unexpected token "$" at line 2, column 10; ' +
        'the placeholder ${{ github.sha }} must be in quotes, "${{ github.sha }}" (alone in its string it ' +
        "takes the value's own type).",
      env,
    );
  });

  test('invalid JSON, with line and column in the file', () => {
    // A comma alone on line 4, column 3, where a property name was expected.
    rejects(
      { 'payload-file': 'out/broken.json' },
      'Input "payload-file" (out/broken.json) is not valid JSON: Expected double-quoted property name at line 4, ' +
        'column 3.',
      env,
    );
  });

  test('JSON that is not an object', () => {
    rejects(
      { 'payload-file': 'out/list.json' },
      'Input "payload-file" must be a JSON or YAML object, not an array.',
      env,
    );
  });

  test('together with a payload: rejected', () => {
    rejects(
      { payload: '{"version": "1.5.0"}', 'payload-file': 'out/payload.json' },
      'Input "payload-file" cannot be used together with "payload": give one of them.',
      env,
    );
  });

  test('placeholders stop at the first past what an event may hold, named with its place', () => {
    // 6,000 lines, each the whole 100 kB webhook payload: 1.3 GB and "Invalid string length" without a bound.
    const payload = { pull_request: { body: 'b'.repeat(100_000) } };
    const lines = Array.from({ length: 6000 }, (_, i) => `k${i}: \${{ github.event }}`);
    writeFileSync(join(workspace, 'out', 'many.yml'), lines.join('\n'));
    const first = Math.floor(1_500_000 / JSON.stringify(payload).length);
    const inputs: Record<string, string> = { ...EVENT, 'payload-file': 'out/many.yml' };
    assert.throws(() => readSettings((name) => inputs[name] ?? '', env, payload), {
      name: 'InputError',
      message:
        `Input "payload-file" (out/many.yml) cannot fill \${{ github.event }} at k${first}: the file's ` +
        'placeholders would put more than 1500000 bytes into it, the most an event may hold: put less of the ' +
        'workflow (a field of github.event, not all of it) into it.',
    });
    // As many as fit are filled.
    writeFileSync(join(workspace, 'out', 'fits.yml'), lines.slice(0, first).join('\n'));
    inputs['payload-file'] = 'out/fits.yml';
    const [spec] = readSettings((name) => inputs[name] ?? '', env, payload).specs;
    assert.deepEqual(spec?.payload?.[`k${first - 1}`], payload);
  });

  test("together with payload {} (action.yml's default): the file is the payload", () => {
    for (const payload of ['{}', '{ }\n', '']) {
      assert.deepEqual(settings({ ...EVENT, payload, 'payload-file': 'out/payload.json' }, env).payload, {
        version: '1.4.0',
        auc: 0.91,
      });
    }
  });
});

describe('occurred', () => {
  const at = (occurred: string) => settings({ ...EVENT, occurred }).occurred?.toISOString();
  const NOT_REAL = (text: string) => `Input "occurred" is not a real date and time: "${text}".`;

  test('left out: absent (main uses now)', () => {
    assert.equal('occurred' in settings(EVENT), false);
  });

  test('ISO 8601 with Z or an offset, with or without the colon', () => {
    assert.equal(at('2026-01-31T12:00:00Z'), '2026-01-31T12:00:00.000Z');
    assert.equal(at('2026-01-31t12:00:00z'), '2026-01-31T12:00:00.000Z');
    assert.equal(at('2026-01-31T12:00:00+02:00'), '2026-01-31T10:00:00.000Z');
    assert.equal(at('2026-01-31T12:00:00+0200'), '2026-01-31T10:00:00.000Z');
    assert.equal(at('2026-01-31T12:00:00-05:30'), '2026-01-31T17:30:00.000Z');
  });

  test('without an offset it is UTC, not the runner’s local time', () => {
    assert.equal(at('2026-01-31T12:00:00'), '2026-01-31T12:00:00.000Z');
    assert.equal(at('2026-07-01T00:30:00'), '2026-07-01T00:30:00.000Z');
  });

  test('a space for the T, minutes without seconds, fractions of a second', () => {
    assert.equal(at('2026-01-31 12:00:00Z'), '2026-01-31T12:00:00.000Z');
    assert.equal(at('2026-01-31T12:00Z'), '2026-01-31T12:00:00.000Z');
    assert.equal(at('2026-01-31T12:00:00.5Z'), '2026-01-31T12:00:00.500Z');
    assert.equal(at('2026-01-31T12:00:00.123456+01:00'), '2026-01-31T11:00:00.123Z');
  });

  test('a date alone is its midnight UTC, as Prefect (pydantic) reads it', () => {
    assert.deepEqual(
      settings({ ...EVENT, occurred: '2026-11-24' }).occurred,
      new Date('2026-11-24T00:00:00Z'),
    );
  });

  test('a date that does not exist is rejected', () => {
    assert.throws(() => at('2026-02-30T10:00:00Z'), { message: NOT_REAL('2026-02-30T10:00:00Z') });
    assert.throws(() => at('2026-02-29T10:00:00Z'), { message: NOT_REAL('2026-02-29T10:00:00Z') });
    assert.equal(at('2024-02-29T10:00:00Z'), '2024-02-29T10:00:00.000Z'); // a leap year
    assert.throws(() => at('2026-01-31T25:00:00Z'), { message: NOT_REAL('2026-01-31T25:00:00Z') });
  });

  test('anything else is rejected with an example', () => {
    for (const text of ['yesterday', '1769860800', '31/01/2026 12:00', '2026-01-31T12:00:00 UTC']) {
      rejects(
        { occurred: text },
        `Input "occurred" must be an ISO 8601 timestamp such as 2026-01-31T12:00:00Z, not "${text}".`,
      );
    }
  });
});

describe('id', () => {
  test('a UUID in any case, lowercased', () => {
    assert.equal(
      settings({ ...EVENT, id: '0192F7A2-5C1E-7D3A-9B8E-2F4C6A1D3E5F' }).id,
      '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f',
    );
    assert.equal(
      settings({ ...EVENT, id: 'c2b6f2a4-3c5d-4e6f-8a9b-0c1d2e3f4a5b' }).id,
      'c2b6f2a4-3c5d-4e6f-8a9b-0c1d2e3f4a5b',
    );
  });

  test('not a UUID', () => {
    for (const text of [
      'run-42',
      '0192f7a25c1e7d3a9b8e2f4c6a1d3e5f',
      '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5',
    ]) {
      rejects(
        { id: text },
        `Input "id" must be a UUID such as 0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f, not "${text}".`,
      );
    }
  });
});

describe('follows', () => {
  const ID = '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f';

  test('a bare event id, lowercased, with no time', () => {
    assert.deepEqual(settings({ ...EVENT, follows: ID.toUpperCase() }).follows, { id: ID });
  });

  test("an earlier step's event output: its id and when it occurred", () => {
    const { event: earlier } = buildEvent(
      {
        event: 'acme.model.trained',
        resource: { 'prefect.resource.id': 'acme.model.churn' },
        related: [],
        payload: { auc: 0.91 },
        occurred: new Date('2026-01-31T11:58:00.250Z'),
        id: ID,
        origin: originOf('test'),
      },
      { related: [], relateWorkflowRun: false, now: new Date() },
    );
    assert.deepEqual(settings({ ...EVENT, follows: JSON.stringify(earlier) }).follows, {
      id: ID,
      occurred: new Date('2026-01-31T11:58:00.250Z'),
    });
  });

  test('JSON with an id and no occurred: the id alone', () => {
    assert.deepEqual(settings({ ...EVENT, follows: `{"id": "${ID.toUpperCase()}"}` }).follows, { id: ID });
  });

  test('JSON without a UUID id', () => {
    const message =
      'Input "follows" holds JSON without a UUID "id": pass the "event" output of an earlier step.';
    rejects({ follows: '{"occurred": "2026-01-31T11:58:00.250Z"}' }, message);
    rejects({ follows: '{"id": "acme-1", "occurred": "2026-01-31T11:58:00.250Z"}' }, message);
    rejects({ follows: '{"id": 42}' }, message);
  });

  test('JSON with an occurred that is not a timestamp', () => {
    rejects(
      { follows: `{"id": "${ID}", "occurred": "yesterday"}` },
      'Input "follows" holds an "occurred" that is not an ISO 8601 timestamp: "yesterday".',
    );
    rejects(
      { follows: `{"id": "${ID}", "occurred": 1769860800}` },
      'Input "follows" holds an "occurred" that is not an ISO 8601 timestamp: 1769860800.',
    );
    // A long value is cut, not echoed whole.
    rejects(
      { follows: JSON.stringify({ id: ID, occurred: 'y'.repeat(2000) }) },
      `Input "follows" holds an "occurred" that is not an ISO 8601 timestamp: "${'y'.repeat(80)}…".`,
    );
    rejects(
      { follows: JSON.stringify({ id: ID, occurred: Array(1000).fill(1) }) },
      `Input "follows" holds an "occurred" that is not an ISO 8601 timestamp: [${'1,'.repeat(39)}1….`,
    );
    rejects(
      { follows: `{"id": "${ID}", "occurred": "2026-02-30T10:00:00Z"}` },
      'Input "follows" is not a real date and time: "2026-02-30T10:00:00Z".',
    );
  });

  test('neither JSON nor a UUID', () => {
    rejects(
      { follows: 'acme.model.trained' },
      'Input "follows" must be a UUID such as 0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f, not "acme.model.trained".',
    );
    const cut = `{"id": "${ID}", "occurred":`;
    rejects(
      { follows: cut },
      `Input "follows" is not valid JSON: Unexpected end of JSON input at line 1, column ${cut.length + 1}.`,
    );
  });
});

describe('booleans: github-context, dry-run, fail-on-error, summary', () => {
  const FIELDS = {
    'github-context': 'githubContext',
    'dry-run': 'dryRun',
    'fail-on-error': 'failOnError',
    summary: 'summary',
  } as const;

  for (const [input, field] of Object.entries(FIELDS)) {
    test(`${input}: true/false in the usual spellings`, () => {
      for (const text of ['true', 'True', 'TRUE', 'yes', 'Yes', 'on', '1']) {
        assert.equal(settings({ ...EVENT, [input]: text })[field], true, text);
      }
      for (const text of ['false', 'False', 'FALSE', 'no', 'No', 'off', '0']) {
        assert.equal(settings({ ...EVENT, [input]: text })[field], false, text);
      }
    });

    test(`${input}: anything else is rejected, naming the input`, () => {
      rejects({ [input]: 'maybe' }, `Input "${input}" must be true or false, not "maybe".`);
      rejects({ [input]: 'truthy' }, `Input "${input}" must be true or false, not "truthy".`);
    });
  }
});

describe('retries', () => {
  test('a whole number from 0 to 10', () => {
    assert.equal(settings({ ...EVENT, retries: '0' }).retries, 0);
    assert.equal(settings({ ...EVENT, retries: '10' }).retries, 10);
    assert.equal(settings({ ...EVENT, retries: '5' }).retries, 5);
  });

  test('anything else is rejected', () => {
    for (const text of ['11', '-1', '1.5', 'abc', 'Infinity', '1e1', '0x2', '0b1', '2.0']) {
      rejects({ retries: text }, `Input "retries" must be a whole number from 0 to 10, not "${text}".`);
    }
  });
});

describe('timeout', () => {
  test('seconds, fractions allowed, up to 300', () => {
    assert.equal(settings({ ...EVENT, timeout: '0.2' }).timeoutMs, 200);
    assert.equal(settings({ ...EVENT, timeout: '30' }).timeoutMs, 30_000);
    assert.equal(settings({ ...EVENT, timeout: '300' }).timeoutMs, 300_000);
  });

  test('0, over 300 and non-numbers are rejected', () => {
    for (const text of ['0', '301', '-5', 'ten', '0x10', '1e1', '0b1', '.5', '5.', 'Infinity']) {
      rejects(
        { timeout: text },
        `Input "timeout" must be a number of seconds more than 0 and at most 300, not "${text}".`,
      );
    }
  });
});

describe('api-url', () => {
  const CLOUD = 'https://api.prefect.cloud/api/accounts/0a1b/workspaces/2c3d';

  test('trailing slashes are removed', () => {
    assert.equal(settings({ ...EVENT, 'api-url': `${CLOUD}/` }).api?.base, CLOUD);
    assert.equal(
      settings({ ...EVENT, 'api-url': 'http://localhost:4200/api//' }).api?.base,
      'http://localhost:4200/api',
    );
  });

  test('falls back to PREFECT_API_URL; the input wins over it', () => {
    assert.equal(settings(EVENT, { PREFECT_API_URL: `${CLOUD}/` }).api?.base, CLOUD);
    assert.equal(
      settings({ ...EVENT, 'api-url': 'http://localhost:4200/api' }, { PREFECT_API_URL: CLOUD }).api?.base,
      'http://localhost:4200/api',
    );
  });

  test('parsed once: a Cloud workspace is known as one, with its events endpoint', () => {
    const api = settings({ ...EVENT, 'api-url': CLOUD }).api;
    assert.deepEqual(api?.cloud, { accountId: '0a1b', workspaceId: '2c3d' });
    assert.equal(api?.events.href, `${CLOUD}/events`);
  });

  test('PREFECT_UI_URL is taken for links', () => {
    assert.equal(
      settings(EVENT, { PREFECT_UI_URL: 'https://prefect.acme.example' }).uiUrl,
      'https://prefect.acme.example',
    );
  });

  test('a PREFECT_UI_URL that is not an http(s) URL is refused, naming the variable', () => {
    assert.throws(() => settings(EVENT, { PREFECT_UI_URL: 'prefect.acme.example' }), {
      name: 'ClientSettingError',
      message:
        'PREFECT_UI_URL must be an http(s) URL such as https://app.prefect.cloud/account/…/workspace/…, not "prefect.acme.example".',
    });
  });

  const uiUrlProblem = (text: string) => {
    try {
      settings(EVENT, { PREFECT_UI_URL: text });
    } catch (error) {
      assert.equal((error as Error).name, 'ClientSettingError');
      return (error as Error).message;
    }
    return assert.fail(`${JSON.stringify(text)} was accepted`);
  };

  test('PREFECT_UI_URL is taken as parsed: what the links are made of is the URL, not the raw text', () => {
    assert.equal(
      settings(EVENT, { PREFECT_UI_URL: 'HTTPS://UI.Acme.Example:443/prefect/' }).uiUrl,
      'https://ui.acme.example/prefect',
    );
    assert.equal(
      settings(EVENT, { PREFECT_UI_URL: 'https://ui.acme.example/a b/"x"/' }).uiUrl,
      'https://ui.acme.example/a%20b/%22x%22',
    );
  });

  test('a PREFECT_UI_URL with a line break, a tab or another control character is refused, naming it', () => {
    const example = 'give one http(s) URL such as https://app.prefect.cloud/account/…/workspace/….';
    assert.equal(
      uiUrlProblem('https://ui.example.com/x\n::warning title=INJECTED::pwned\n## INJECTED <img src=x>'),
      `PREFECT_UI_URL must not hold a line break (\\n): ${example}`,
    );
    assert.equal(
      uiUrlProblem('https://ui.example.com/x\r::save-state name=x::y'),
      `PREFECT_UI_URL must not hold a carriage return (\\r): ${example}`,
    );
    assert.equal(
      uiUrlProblem('https://ui.exa\tmple.com/'),
      `PREFECT_UI_URL must not hold a tab (\\t): ${example}`,
    );
    assert.equal(
      uiUrlProblem('https://ui.example.com/\u0007'),
      `PREFECT_UI_URL must not hold a control character (\\u0007): ${example}`,
    );
  });

  test('a PREFECT_UI_URL with credentials is refused without quoting them', () => {
    const message = uiUrlProblem('https://admin:pw-hunter2@prefect.example.com/');
    assert.equal(
      message,
      'PREFECT_UI_URL must not hold credentials: links to events are shown in the log, the url output and ' +
        'the job summary; give the UI URL without "user:password@".',
    );
    assert.equal(uiUrlProblem('https://admin@prefect.example.com/'), message);
  });

  test('a PREFECT_UI_URL with a query or fragment is refused: links are made by adding a path to it', () => {
    const message =
      "PREFECT_UI_URL must not have a query or fragment: give the UI's base URL only, such as " +
      'https://app.prefect.cloud/account/…/workspace/….';
    assert.equal(uiUrlProblem('https://prefect.example.com/?x=`y`'), message);
    assert.equal(uiUrlProblem('https://prefect.example.com/#top'), message);
    assert.equal(uiUrlProblem('https://prefect.example.com/?'), message);
  });

  test('neither: absent (nothing is sent)', () => {
    assert.equal('api' in settings(EVENT, { PREFECT_API_URL: '' }), false);
  });

  test('credentials in the URL are rejected, from the input or the environment', () => {
    const problem = 'must not hold credentials: put "user:password" in auth-string instead.';
    rejects({ 'api-url': 'https://admin:hunter2@prefect.example.com/api' }, `Input "api-url" ${problem}`);
    // Named as the user set it: no api-url input was given.
    rejectsVariable(
      { PREFECT_API_URL: 'https://admin@prefect.example.com/api' },
      `PREFECT_API_URL ${problem}`,
    );
  });

  test('other schemes, queries, fragments and non-URLs are rejected', () => {
    rejects(
      { 'api-url': 'ftp://prefect.example.com/api' },
      'Input "api-url" must use https or http, not ftp.',
    );
    const noQuery = 'Input "api-url" must not have a query or fragment: give the API base URL only.';
    rejects({ 'api-url': 'https://prefect.example.com/api?workspace=1' }, noQuery);
    rejects({ 'api-url': 'https://prefect.example.com/api#events' }, noQuery);
    // A bare ? or # leaves URL.search and URL.hash empty, but would still end up in every request's path.
    rejects({ 'api-url': 'https://prefect.example.com/api?' }, noQuery);
    rejects({ 'api-url': 'https://prefect.example.com/api#' }, noQuery);
    rejects(
      { 'api-url': 'prefect.example.com/api' },
      'Input "api-url" must be an http(s) URL such as https://api.prefect.cloud/api/accounts/…/workspaces/….',
    );
  });
  test("the Cloud UI's address of a workspace is refused, giving the workspace's API URL", () => {
    const account = '9b649228-0419-40e1-9e0d-44954b5c0ab6';
    const workspace = '2db14a1a-5cf6-4b4b-9f1f-b59d4e4e0f0e';
    const problem =
      `is the address of a workspace in Prefect Cloud's UI, not its API: use ` +
      `https://api.prefect.cloud/api/accounts/${account}/workspaces/${workspace}.`;
    const ui = `https://app.prefect.cloud/account/${account}/workspace/${workspace}`;
    for (const address of [ui, `${ui}/`, `${ui}/dashboard`, `${ui}/events?view=all`]) {
      rejects({ 'api-url': address }, `Input "api-url" ${problem}`);
    }
    rejectsVariable({ PREFECT_API_URL: `${ui}/deployments` }, `PREFECT_API_URL ${problem}`);
    // The same path elsewhere is a self-hosted server's business.
    const own = 'https://prefect.acme.example/account/a/workspace/w';
    assert.equal(settings({ ...EVENT, 'api-url': own }).api?.base, own);
  });
});

describe('api-key and auth-string', () => {
  const KEY = 'pnu_7dG2kQ9xLmP4vR8sT1wY6zA3bC5eF0hJ';
  const AUTH = 'admin:Sup3r-s3cret!';
  const both = (where: string) =>
    `Input "api-key" and "auth-string" are both set (as ${where}): ` +
    'use api-key for Prefect Cloud or auth-string for a self-hosted server, not both.';
  const BOTH = both('inputs');

  test('neither: absent', () => {
    const read = settings(EVENT);
    assert.equal('apiKey' in read, false);
    assert.equal('authString' in read, false);
  });

  test('from the inputs', () => {
    assert.equal(settings({ ...EVENT, 'api-key': KEY }).apiKey, KEY);
    assert.equal(settings({ ...EVENT, 'auth-string': AUTH }).authString, AUTH);
  });

  test('fall back to PREFECT_API_KEY and PREFECT_API_AUTH_STRING; the input wins', () => {
    assert.equal(settings(EVENT, { PREFECT_API_KEY: KEY }).apiKey, KEY);
    assert.equal(settings(EVENT, { PREFECT_API_AUTH_STRING: AUTH }).authString, AUTH);
    assert.equal(
      settings({ ...EVENT, 'api-key': 'pnu_fromInput' }, { PREFECT_API_KEY: KEY }).apiKey,
      'pnu_fromInput',
    );
  });

  test('both set at the same level (two inputs, or two variables): rejected', () => {
    rejects({ 'api-key': KEY, 'auth-string': AUTH }, BOTH);
    rejects({}, both('variables PREFECT_API_KEY and PREFECT_API_AUTH_STRING'), {
      PREFECT_API_KEY: KEY,
      PREFECT_API_AUTH_STRING: AUTH,
    });
  });

  test('an input wins over the other credential from the environment (a job-wide PREFECT_API_KEY)', () => {
    const withAuth = settings({ ...EVENT, 'auth-string': AUTH }, { PREFECT_API_KEY: KEY });
    assert.equal(withAuth.authString, AUTH);
    assert.equal(withAuth.apiKey, undefined);
    const withKey = settings({ ...EVENT, 'api-key': KEY }, { PREFECT_API_AUTH_STRING: AUTH });
    assert.equal(withKey.apiKey, KEY);
    assert.equal(withKey.authString, undefined);
  });

  test('an auth string without a colon is rejected', () => {
    rejects({ 'auth-string': 'Sup3r-s3cret!' }, 'Input "auth-string" must have the form "user:password".');
    rejects({}, 'Input "auth-string" must have the form "user:password".', {
      PREFECT_API_AUTH_STRING: 'Sup3r-s3cret!',
    });
  });

  test('no error message contains the api key, the auth string or its password', () => {
    const secrets = [KEY, AUTH, 'Sup3r-s3cret!', Buffer.from(AUTH).toString('base64')];
    const failures: [Record<string, string>, NodeJS.ProcessEnv][] = [
      [{ 'api-key': KEY, 'auth-string': AUTH }, {}],
      [{}, { PREFECT_API_KEY: KEY, PREFECT_API_AUTH_STRING: AUTH }],
      [{ 'auth-string': 'Sup3r-s3cret!' }, {}],
      [{}, { PREFECT_API_AUTH_STRING: 'Sup3r-s3cret!' }],
      [{ 'api-url': `https://${AUTH}@prefect.example.com/api` }, {}],
      [{ 'api-url': `https://admin:${encodeURIComponent('Sup3r-s3cret!')}@prefect.example.com/api` }, {}],
      [{ 'api-key': KEY, 'api-url': 'ftp://prefect.example.com/api' }, {}],
      [{ 'api-key': KEY, 'api-url': 'not a url' }, {}],
      [{ 'auth-string': AUTH, retries: '99' }, {}],
      [{ 'api-key': KEY, event: '' }, {}],
      [{ 'api-key': KEY, payload: 'not json' }, {}],
    ];
    for (const [inputs, env] of failures) {
      let message = '';
      try {
        settings({ ...EVENT, ...inputs }, env);
      } catch (error) {
        message = (error as Error).message;
      }
      assert.notEqual(message, '', `expected an error for ${JSON.stringify(Object.keys(inputs))}`);
      for (const secret of secrets) assert.equal(message.includes(secret), false, message);
    }
  });
});

describe('what JSON allows but would not arrive as written', () => {
  test('an integer past 2^53 in the payload is refused, naming where it is', () => {
    rejects(
      { ...EVENT, payload: '{"build": {"id": 12345678901234567890}}' },
      'Input "payload" holds a number at build.id that JSON in JavaScript cannot carry exactly ' +
        '(12345678901234567890): write it as a string.',
    );
  });

  test('a number too large for a double (1e400) is refused instead of becoming null', () => {
    rejects(
      { ...EVENT, payload: '{"x": 1e400}' },
      'Input "payload" holds a number at x that JSON in JavaScript cannot carry exactly (1e400): write it as a string.',
    );
  });

  test('a bare number that would arrive changed is refused without a path, which it has none of', () => {
    rejects(
      { ...EVENT, payload: '1e400' },
      'Input "payload" holds a number that JSON in JavaScript cannot carry exactly (1e400): write it as a string.',
    );
  });

  test('a fraction with more digits than a double holds is refused, quoted as written', () => {
    rejects(
      { ...EVENT, payload: '{"ratio": 0.100000000000000000000000000001}' },
      'Input "payload" holds a number at ratio that JSON in JavaScript cannot carry exactly ' +
        '(0.100000000000000000000000000001): write it as a string.',
    );
  });

  test('spellings of the same number pass: 1.0, 1e2, -0, 0.10', () => {
    assert.deepEqual(settings({ ...EVENT, payload: '{"a": 1.0, "b": 1e2, "c": 0.10}' }).payload, {
      a: 1,
      b: 100,
      c: 0.1,
    });
  });

  test('a payload nested deeper than JSON is read is refused with its line and column, not a stack overflow', () => {
    rejects(
      { ...EVENT, payload: '{"a":'.repeat(4000) + '1' + '}'.repeat(4000) },
      'Input "payload" is not valid JSON: Nested deeper than 200 levels at line 1, column 1001.',
    );
  });

  test('safe integers and fractions pass unchanged', () => {
    assert.deepEqual(settings({ ...EVENT, payload: '{"n": 9007199254740991, "f": 0.1}' }).payload, {
      n: 9007199254740991,
      f: 0.1,
    });
  });

  test('a payload file with a UTF-8 byte order mark (as PowerShell writes) is read', () => {
    writeFileSync(join(workspace, 'bom.json'), '\uFEFF{"from": "powershell"}');
    assert.deepEqual(
      settings({ ...EVENT, 'payload-file': 'bom.json' }, { GITHUB_WORKSPACE: workspace }).payload,
      { from: 'powershell' },
    );
  });

  test('24:00 is not a time of the day it names', () => {
    rejects(
      { ...EVENT, occurred: '2026-01-01T24:00:00Z' },
      'Input "occurred" is not a real date and time: "2026-01-01T24:00:00Z".',
    );
    rejects(
      { ...EVENT, occurred: '2026-01-01T12:60:00Z' },
      'Input "occurred" is not a real date and time: "2026-01-01T12:60:00Z".',
    );
  });
});

describe('proxy variables the action cannot follow', () => {
  test('fail while the inputs are read, with fail-on-error false and in a dry run too, naming the variable', () => {
    const message =
      'The proxy variable HTTPS_PROXY names a socks5 proxy, which cannot be used: give an http:// or https:// ' +
      'proxy URL, or list the Prefect host in NO_PROXY to connect directly.';
    const env = { HTTPS_PROXY: 'socks5://user:hunter22@proxy.corp:1080' };
    const inputs = {
      ...EVENT,
      'api-url': 'https://prefect.example.com/api',
      'fail-on-error': 'false',
      'dry-run': 'true',
    };
    assert.throws(() => settings(inputs, env), { name: 'ProxyConfigError', message });
    assert.equal(settings(inputs, { ...env, NO_PROXY: 'prefect.example.com' }).dryRun, true);
  });
});
