// wait-for and wait-timeout: the values they take, their defaults, and the one sentence a bad value gets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readWaitSettings } from '../../src/inputs/wait.ts';

const read = (inputs: Record<string, string>) => readWaitSettings((name) => inputs[name] ?? '');

test('defaults: wait for nothing, at most 600 s', () => {
  assert.deepEqual(read({}), { waitFor: 'nothing', timeoutMs: 600_000 });
});

test('automations, flow-runs (any case); seconds with fractions up to six hours', () => {
  assert.deepEqual(read({ 'wait-for': 'automations', 'wait-timeout': '0.5' }), {
    waitFor: 'automations',
    timeoutMs: 500,
  });
  assert.deepEqual(read({ 'wait-for': 'Flow-Runs', 'wait-timeout': '21600' }), {
    waitFor: 'flow-runs',
    timeoutMs: 21_600_000,
  });
});

test('bad values name the input and what it takes', () => {
  assert.throws(() => read({ 'wait-for': 'flow_runs' }), {
    message: 'Input "wait-for" must be nothing, automations or flow-runs, not "flow_runs".',
  });
  for (const text of ['0', '-1', '1e3', '21600.5', 'ten']) {
    assert.throws(() => read({ 'wait-timeout': text }), {
      message: `Input "wait-timeout" must be a number of seconds more than 0 and at most 21600, not "${text}".`,
    });
  }
});
