// The way back (wait-for): the step's accepted events -> prefect/watch -> the log, the `automations` and
// `flow-runs` outputs, the summary, and the step's outcome. Loaded only by a step with wait-for (its own
// bundle, scripts/bundle.mjs), so a step without it loads none of this.
import type { PrefectEvent } from '../event/schema.ts';
import type { DeliverySettings } from '../inputs/settings.ts';
import type { WaitSettings } from '../inputs/wait.ts';
import { uiBase } from '../prefect/api.ts';
import { createReader } from '../prefect/reads.ts';
import { isFinal } from '../prefect/flow-runs.ts';
import { formatElapsed, watch, type FlowRunRecord, type WatchReport } from '../prefect/watch.ts';
import { setWaitOutputs } from '../report/outputs.ts';
import type { Outcome } from '../report/summary.ts';
import { waitSummaryMarkdown, type WaitRow } from '../report/wait-summary.ts';
import { clientOptions, errorMessage } from './emit.ts';
import type { Runner } from './runner.ts';

export interface WaitTiming {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  settleMs?: number;
}

/** A value from Prefect on one line, cut: names, reasons and state messages go into log lines and errors. */
const oneLine = (text: string, max = 300) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

export async function waitForPrefect(
  runner: Runner,
  events: readonly PrefectEvent[],
  outcome: Outcome,
  settings: DeliverySettings,
  wait: WaitSettings,
  timing: WaitTiming = {},
): Promise<void> {
  const what = `wait-for: ${wait.waitFor}`;
  if (outcome !== 'emitted' || !settings.api) {
    setWaitOutputs(runner.setOutput, [], []);
    if (outcome === 'dry run')
      runner.notice(`${what} is skipped in a dry run: nothing was sent to wait for.`);
    else if (outcome === 'skipped')
      runner.notice(`${what} is skipped: without a Prefect API URL nothing was sent.`);
    else
      runner.notice(
        `${what} is skipped: Prefect did not accept the events, so there is nothing to wait for.`,
      );
    return;
  }
  const { api } = settings;
  const ui = uiBase(api, settings.uiUrl);
  const runUrl = (id: string) => ui && `${ui}/runs/flow-run/${id}`;
  const automationUrl = (id: string) => ui && `${ui}/automations/automation/${id}`;
  const described = events.length === 1 ? 'the event' : `the ${events.length} events`;
  runner.info(
    `Waiting up to ${formatElapsed(wait.timeoutMs)} for Prefect's automations${wait.waitFor === 'flow-runs' ? ' and the flow runs they start' : ''} on ${described}…`,
  );
  let report: WatchReport;
  try {
    report = await watch({
      reader: createReader(clientOptions(runner, settings, api)),
      events,
      follow: wait.waitFor === 'flow-runs' ? 'flow-runs' : 'automations',
      timeoutMs: wait.timeoutMs,
      log: (line) => runner.info(oneLine(line, 1000)),
      debug: runner.debug,
      ...(timing.now && { now: timing.now }),
      ...(timing.sleep && { sleep: timing.sleep }),
      ...(timing.settleMs !== undefined && { settleMs: timing.settleMs }),
    });
  } catch (error) {
    // A proxy setting the client cannot follow, found when the reads begin.
    return settle(runner, settings, `Waiting for Prefect failed: ${errorMessage(error)}`, true);
  }
  const runs = new Map(report.runs.map((run) => [run.id, run]));
  setWaitOutputs(
    runner.setOutput,
    report.firings.map((firing) => ({
      id: firing.automationId,
      name: firing.automationName,
      url: automationUrl(firing.automationId) ?? null,
      event_id: firing.eventId,
      actions: [...firing.actions.values()]
        .sort((a, b) => a.index - b.index)
        .map((action) => ({
          index: action.index,
          type: action.type,
          outcome: action.outcome,
          ...(action.reason !== undefined && { reason: action.reason }),
          ...(action.flowRun && { flow_run_id: action.flowRun.id }),
        })),
    })),
    report.runs.map((run) => ({
      id: run.id,
      name: run.name,
      deployment_id: run.deploymentId ?? null,
      state_type: run.stateType ?? null,
      state_name: run.stateName ?? null,
      url: runUrl(run.id) ?? null,
    })),
  );
  if (settings.summary) {
    const rows: WaitRow[] = [];
    for (const event of events) {
      const fired = report.firings.filter((firing) => firing.eventId === event.id);
      if (fired.length === 0)
        rows.push({ event: event.event, eventId: event.id, automation: 'no automation fired' });
      for (const firing of fired) {
        const actions = [...firing.actions.values()].sort((a, b) => a.index - b.index);
        const url = automationUrl(firing.automationId);
        if (actions.length === 0) {
          rows.push({
            event: event.event,
            eventId: event.id,
            automation: firing.automationName,
            ...(url && { url }),
          });
        }
        for (const action of actions) {
          const run = action.flowRun && runs.get(action.flowRun.id);
          const link = (run && runUrl(run.id)) || url;
          rows.push({
            event: event.event,
            eventId: event.id,
            automation: firing.automationName,
            action: `${action.index + 1}. ${action.type}: ${action.outcome}`,
            ...(run && { flowRun: run.name }),
            ...(run?.stateType && { state: stateText(run) }),
            ...(link && { url: link }),
          });
        }
      }
    }
    try {
      await runner.appendSummary(waitSummaryMarkdown("What Prefect's automations did", rows));
    } catch (error) {
      runner.warning(`The job summary could not be written: ${errorMessage(error)}`);
    }
  }

  const runText = (run: FlowRunRecord) =>
    `flow run "${oneLine(run.name)}"${run.deploymentId ? ` (deployment ${oneLine(run.deploymentName ?? run.deploymentId)})` : ''}`;
  const eventText = (id: string) => {
    const event = events.find((e) => e.id === id);
    return `${event?.event ?? 'event'} (${id})`;
  };
  const link = (url: string | undefined) => (url ? `: ${url}` : '');
  const unfinished = report.runs
    .filter((run) => !isFinal(run))
    .map(
      (run) =>
        `${runText(run)} is still running, last state ${run.stateType ? stateText(run) : 'unknown'}${link(runUrl(run.id))}`,
    );
  // A failure ends the wait at once: the step's answer is known, and the other runs need not hold the job.
  const others =
    unfinished.length > 0 ? ` Not waited for, going on in Prefect: ${unfinished.join('; ')}.` : '';
  const seconds = `${wait.timeoutMs / 1000} s (wait-timeout)`;
  const { end } = report;
  switch (end.kind) {
    case 'done': {
      const done = report.runs.length;
      runner.info(
        `Done in ${formatElapsed(report.elapsedMs)}: ${report.firings.length} automation firing${report.firings.length === 1 ? '' : 's'} finished` +
          (wait.waitFor === 'flow-runs' ? `, ${done} flow run${done === 1 ? '' : 's'} completed.` : '.'),
      );
      if (wait.waitFor === 'flow-runs' && done === 0) {
        runner.notice(
          "wait-for: flow-runs: the automations' actions created no flow run, so there was none to follow.",
        );
      }
      return;
    }
    case 'action failed': {
      const { firing, action } = end;
      return settle(
        runner,
        settings,
        `Automation "${oneLine(firing.automationName)}" fired on ${eventText(firing.eventId)}, but its action ` +
          `${action.index + 1} (${action.type}) failed: ${oneLine(action.reason ?? 'Prefect gave no reason').replace(/\.$/, '')}` +
          `${link(automationUrl(firing.automationId))}.${others}`,
        false,
      );
    }
    case 'run failed': {
      const { run, logs } = end;
      if (logs.length > 0) {
        // Log lines are the flow's own text: no line of it may be read by the runner as a workflow command.
        const token = globalThis.crypto.randomUUID();
        const lines = logs.map((log) => `${log.timestamp} ${log.level} ${log.message}`);
        runner.group(
          `The last ${logs.length} log line${logs.length === 1 ? '' : 's'} of ${runText(run)}`,
          [`::stop-commands::${token}`, ...lines, `::${token}::`].join('\n'),
        );
      }
      return settle(
        runner,
        settings,
        `The ${runText(run)} ended ${stateText(run)}${run.stateMessage ? ` (${oneLine(run.stateMessage)})` : ''}` +
          `${link(runUrl(run.id))}${logs.length > 0 ? '; its last log lines are in the group above.' : '; it logged nothing.'}` +
          others,
        false,
      );
    }
    case 'no automation': {
      const listed = events.slice(0, 5).map((event) => eventText(event.id));
      const which =
        events.length === 1
          ? `event ${listed[0]}`
          : `any of the ${events.length} events (${listed.join(', ')}${events.length > 5 ? ', …' : ''})`;
      return settle(
        runner,
        settings,
        `No automation fired on ${which} within ${seconds}. Check the automation's trigger: its "expect" must ` +
          `name the event and its "match" (and "match_related") must fit the event's resources; an event with ` +
          `"follows" is held up to 15 minutes until Prefect has seen the event it follows, and a proactive ` +
          `trigger fires only when its "within" window ends.`,
        true,
      );
    }
    case 'timeout': {
      const pending = report.firings
        .filter(
          (firing) =>
            [...firing.actions.values()].some((a) => a.outcome === 'pending') ||
            firing.actions.size < (firing.actionCount ?? 1),
        )
        .map(
          (firing) =>
            `automation "${oneLine(firing.automationName)}" on ${eventText(firing.eventId)} has actions still to run`,
        );
      return settle(
        runner,
        settings,
        `Prefect's work on ${described} did not finish within ${seconds}: ${[...pending, ...unfinished].join('; ')}. ` +
          `It goes on in Prefect; this step stopped waiting.`,
        true,
      );
    }
    case 'read failed':
      return settle(runner, settings, `Waiting for Prefect failed: ${end.message}`, true);
  }
}

const stateText = (run: FlowRunRecord) =>
  `${run.stateType ?? ''}${run.stateName && run.stateName.toUpperCase() !== run.stateType ? ` (${oneLine(run.stateName)})` : ''}`;

/**
 * Fails the step with the message, or warns when fail-on-error is false and `softened`: the wait not
 * finishing, or Prefect not answering, is an error like a delivery failure; a failed run is the answer.
 */
function settle(runner: Runner, settings: DeliverySettings, message: string, softened: boolean): void {
  if (settings.failOnError || !softened) runner.fail(message);
  else runner.warning(`${message.replace(/\.$/, '')} (fail-on-error is false, so the step succeeds).`);
}
