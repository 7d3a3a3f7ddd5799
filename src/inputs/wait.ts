// The inputs of the way back (wait-for, wait-timeout): what to wait for once the events are accepted, and
// for how long at most. Read with the other inputs, so a bad value fails the step before anything is sent.
import type { InputReader } from './credentials.ts';
import { parseNumber } from './scalars.ts';
import { InputError, quote } from './source.ts';

export type WaitFor = 'nothing' | 'automations' | 'flow-runs';

export interface WaitSettings {
  waitFor: WaitFor;
  timeoutMs: number;
}

const WAIT_FOR: readonly WaitFor[] = ['nothing', 'automations', 'flow-runs'];
/** Six hours: GitHub's own limit for a job on its hosted runners. */
const MAX_WAIT_SECONDS = 21_600;

export function readWaitSettings(read: InputReader): WaitSettings {
  const text = read('wait-for') || 'nothing';
  const waitFor = WAIT_FOR.find((value) => value === text.toLowerCase());
  if (!waitFor) {
    throw new InputError('wait-for', `must be nothing, automations or flow-runs, not ${quote(text)}.`);
  }
  const seconds = parseNumber('wait-timeout', read('wait-timeout') || '600', 0, MAX_WAIT_SECONDS, false);
  return { waitFor, timeoutMs: seconds * 1000 };
}
