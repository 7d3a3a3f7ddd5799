// A step's stdout as the local run shows it: masks applied as the runner applies them, commands readable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workflowCommandFilter } from '../../tools/workflow-commands.ts';

test('::add-mask:: is hidden and its value is *** in every later line, stderr and outputs included', () => {
  const filter = workflowCommandFilter();
  assert.equal(filter.line('before pnu_key'), 'before pnu_key');
  assert.equal(filter.line('::add-mask::pnu_key'), undefined);
  assert.equal(filter.line('::add-mask::user:pnu_key%0Aline'), undefined);
  assert.equal(filter.line('Authorization failed for pnu_key'), 'Authorization failed for ***');
  assert.equal(filter.redact('user:pnu_key\nline'), '***');
});

test('error, warning and notice lines read as text, properties and escapes included; debug is hidden', () => {
  const filter = workflowCommandFilter();
  assert.equal(
    filter.line('::error::Input "payload" is not valid JSON%0Aat line 1'),
    'Error: Input "payload" is not valid JSON\nat line 1',
  );
  assert.equal(
    filter.line('::warning file=a.yml,line=3::50%25 done'),
    'Warning (file=a.yml,line=3): 50% done',
  );
  assert.equal(filter.line('::notice::follows dropped'), 'Notice: follows dropped');
  assert.equal(filter.line('::debug::attempt 1'), undefined);
  assert.equal(workflowCommandFilter({ debug: true }).line('::debug::attempt 1'), 'Debug: attempt 1');
  assert.equal(filter.line('::group::Request'), '▸ Request');
  assert.equal(filter.line('::endgroup::'), undefined);
});
