// The way back (wait-for): the step's accepted events -> prefect/watch -> the log, the `automations` and
// `flow-runs` outputs, the summary, and the step's outcome. Loaded only by a step with wait-for (its own
// bundle, scripts/bundle.mjs), so a step without it loads none of this.
import type { PrefectEvent } from '../event/schema.ts';
import { randomUuid } from '../event/uuid.ts';
import type { DeliverySettings } from '../inputs/settings.ts';
import type { WaitSettings } from '../inputs/wait.ts';
import { uiLinks } from '../prefect/api.ts';
import { oneLine } from '../prefect/flow-runs.ts';
import { createReader } from '../prefect/reads.ts';
import { watch, type WatchOptions } from '../prefect/watch.ts';
import { describeDuration } from '../report/duration.ts';
import { setWaitOutputs } from '../report/outputs.ts';
import type { Outcome } from '../report/summary.ts';
import { waitSummaryMarkdown, waitSummaryRows } from '../report/wait-summary.ts';
import { clientOptions, errorMessage } from './emit.ts';
import type { Runner } from './runner.ts';
import { waitOutcome } from './wait-outcome.ts';

/** Time, for tests that drive the wait in-process: the clock, the pause, the settling window. */
type WaitTiming = Pick<WatchOptions, 'now' | 'sleep' | 'settleMs'>;

export async function waitForPrefect(
  runner: Runner,
  events: readonly PrefectEvent[],
  outcome: Outcome,
  settings: DeliverySettings,
  wait: WaitSettings,
  timing: WaitTiming = {},
): Promise<void> {
  const { api } = settings;
  if (outcome !== 'emitted' || !api) {
    setWaitOutputs(
      runner.setOutput,
      { firings: [], runs: [] },
      { flowRun: () => undefined, automation: () => undefined },
    );
    runner.notice(`wait-for: ${wait.waitFor} is skipped${SKIPPED[outcome]}`);
    return;
  }
  const links = uiLinks(api, settings.uiUrl);
  const followRuns = wait.waitFor === 'flow-runs';
  runner.info(
    `Waiting up to ${describeDuration(wait.timeoutMs)} for Prefect's automations${followRuns ? ' and the flow runs they start' : ''} ` +
      `on ${events.length === 1 ? 'the event' : `the ${events.length} events`}…`,
  );
  let report;
  try {
    report = await watch({
      reader: createReader(clientOptions(runner, settings, api)),
      events,
      follow: followRuns ? 'flow-runs' : 'automations',
      timeoutMs: wait.timeoutMs,
      log: (line) => runner.info(oneLine(line, 1000)),
      debug: runner.debug,
      ...timing,
    });
  } catch (error) {
    // A proxy setting the client cannot follow, found as the reads begin.
    return failOrWarn(runner, settings, `Waiting for Prefect failed: ${errorMessage(error)}`, true);
  }
  setWaitOutputs(runner.setOutput, report, links);
  if (settings.summary) {
    try {
      await runner.appendSummary(
        waitSummaryMarkdown("What Prefect's automations did", waitSummaryRows(events, report, links)),
      );
    } catch (error) {
      runner.warning(`The job summary could not be written: ${errorMessage(error)}`);
    }
  }
  const ended = waitOutcome(report, { events, waitFor: wait.waitFor, timeoutMs: wait.timeoutMs, links });
  if (ended.kind === 'done') {
    runner.info(ended.line);
    if (ended.notice) runner.notice(ended.notice);
    return;
  }
  if (ended.logs) {
    // Log lines are the flow's own text: no line of it may be read by the runner as a workflow command.
    const token = randomUuid();
    runner.group(
      ended.logs.title,
      [`::stop-commands::${token}`, ...ended.logs.lines, `::${token}::`].join('\n'),
    );
  }
  failOrWarn(runner, settings, ended.message, ended.softened);
}

const SKIPPED: Record<Outcome, string> = {
  'dry run': ' in a dry run: nothing was sent to wait for.',
  skipped: ': without a Prefect API URL nothing was sent.',
  failed: ': Prefect did not accept the events, so there is nothing to wait for.',
  emitted: '.',
};

/** Fails the step, or warns when fail-on-error is false and the failure is one it softens. */
function failOrWarn(runner: Runner, settings: DeliverySettings, message: string, softened: boolean): void {
  if (settings.failOnError || !softened) runner.fail(message);
  else runner.warning(`${message.replace(/\.$/, '')} (fail-on-error is false, so the step succeeds).`);
}
