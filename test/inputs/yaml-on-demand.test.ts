// The YAML parser is loaded only when some input is not JSON: a JSON-only step never pays for it. Its own
// file, so that no other test has loaded the parser in this process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSettings } from '../../src/inputs/settings.ts';
import { YamlParserNeeded } from '../../src/inputs/values.ts';
import { loadedYamlParser, loadYamlParser } from '../../src/parse/yaml.ts';

const inputs: Record<string, string> = {
  event: 'acme.model.deployed',
  resource: '{"prefect.resource.id": "acme.model.churn"}',
  related: '[{"prefect.resource.id": "acme.team.ml", "prefect.resource.role": "owner"}]',
  payload: '{"rows": 3}',
};

test('JSON inputs are read without the YAML parser; a YAML one asks for it, then reads', async () => {
  const read = (overrides: Record<string, string> = {}) =>
    readSettings((name) => ({ ...inputs, ...overrides })[name] ?? '', {});
  assert.equal(read().specs[0]?.payload.rows, 3);
  assert.equal(loadedYamlParser(), undefined);
  assert.throws(() => read({ payload: 'rows: 3' }), YamlParserNeeded);
  assert.throws(() => read({ event: '', payload: '', events: '- event: a.b' }), YamlParserNeeded);
  await loadYamlParser();
  assert.equal(read({ payload: 'rows: 3' }).specs[0]?.payload.rows, 3);
});
