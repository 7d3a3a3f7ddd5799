// The tests validate against a copy of Prefect's Event schema; it must stay the one in ../shared.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

const copy = resolve(import.meta.dirname, '../fixtures/prefect/event.schema.json');
const shared = resolve(import.meta.dirname, '../../../shared/prefect/event.schema.json');

test(
  'test/fixtures holds the same Event schema as ../shared/prefect',
  { skip: !existsSync(shared) && 'no ../shared here' },
  () => {
    assert.equal(readFileSync(copy, 'utf8'), readFileSync(shared, 'utf8'));
  },
);
