// job-end-event and job-status: checked in the main step, so a bad name fails before anything is sent.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jobEndEventName, parseJobEndEvent, parseJobStatus } from '../../src/inputs/job-end.ts';

describe('job-end-event', () => {
  test('{status} becomes each status, every time it appears', () => {
    assert.equal(jobEndEventName('acme.deploy.{status}', 'cancelled'), 'acme.deploy.cancelled');
    assert.equal(jobEndEventName('{status}.{status}', 'success'), 'success.success');
    assert.equal(jobEndEventName('acme.deploy.ended', 'failure'), 'acme.deploy.ended');
  });

  test('a name too long once {status} is replaced is refused, counted as Prefect counts', () => {
    assert.equal(
      parseJobEndEvent('job-end-event', `${'e'.repeat(1015)}{status}`),
      `${'e'.repeat(1015)}{status}`,
    );
    assert.throws(() => parseJobEndEvent('job-end-event', `${'e'.repeat(1016)}{status}`), {
      message:
        'Input "job-end-event" is 1025 characters once {status} is replaced; Prefect allows at most 1024.',
    });
    assert.throws(() => parseJobEndEvent('job-end-event', 'e'.repeat(1025)), {
      message: 'Input "job-end-event" is 1025 characters; Prefect allows at most 1024.',
    });
  });

  test('an empty name is refused', () => {
    assert.throws(() => parseJobEndEvent('job-end-event', ''), {
      message: 'Input "job-end-event" must not be empty.',
    });
  });

  test('control characters are refused', () => {
    assert.throws(() => parseJobEndEvent('job-end-event', 'a.\n{status}'), {
      message: 'Input "job-end-event" must not hold control characters such as a new line.',
    });
  });
});

describe('job-status', () => {
  test("the runner's three statuses, in any case", () => {
    assert.equal(parseJobStatus('job-status', 'success'), 'success');
    assert.equal(parseJobStatus('job-status', 'Failure'), 'failure');
    assert.equal(parseJobStatus('job-status', 'cancelled'), 'cancelled');
  });

  test('anything else names the input and the default', () => {
    assert.throws(() => parseJobStatus('job-status', 'skipped'), {
      message:
        'Input "job-status" must be the job\'s status, success, failure, cancelled (leave it to its default, ${{ job.status }}), not "skipped".',
    });
  });
});
