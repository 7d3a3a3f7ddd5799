// How the wait ended, in the step's words: the line of a wait that finished, or the one sentence of the
// error (or warning) that names what failed or did not finish, what it was, and where to look.
import type { UiLinks } from '../prefect/api.ts';
import {
  awaitingRetry,
  describeRun,
  describeState,
  isFinal,
  notStarted,
  oneLine,
} from '../prefect/flow-runs.ts';
import { type FlowRunRecord, type LogLine, type WatchReport } from '../prefect/watch.ts';
import { describeDuration } from '../report/duration.ts';
import type { WaitFor } from '../inputs/wait.ts';

export type WaitOutcome =
  | { kind: 'done'; line: string; notice?: string }
  | {
      kind: 'failed';
      message: string;
      /** true: the wait did not finish or Prefect could not be read, which fail-on-error: false softens. A
       * failed action or run is the answer the step waited for, and fails it whatever fail-on-error says. */
      softened: boolean;
      /** A failed run's last log lines, for a group before the error. */
      logs?: { title: string; lines: string[] };
    };

export interface OutcomeContext {
  events: readonly { id: string; event: string }[];
  waitFor: WaitFor;
  timeoutMs: number;
  links: UiLinks;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const link = (url: string | undefined) => (url ? `: ${url}` : '');

export function waitOutcome(report: WatchReport, context: OutcomeContext): WaitOutcome {
  const { events, links } = context;
  const eventText = (id: string) => `${events.find((e) => e.id === id)?.event ?? 'event'} (${id})`;
  const described = events.length === 1 ? 'the event' : `the ${events.length} events`;
  const seconds = `${context.timeoutMs / 1000} s (wait-timeout)`;
  // With wait-for: automations the runs are never read, so nothing is said of their state.
  const followed = context.waitFor === 'flow-runs' ? report.runs : [];
  const unfinishedRuns = followed.filter((run) => !isFinal(run));
  const unfinished = unfinishedRuns.map((run) => unfinishedText(run, links));
  // Said once, however many runs no worker took.
  const workerHint = unfinishedRuns.some(notStarted)
    ? ' A run waits in SCHEDULED until a worker of its work pool picks it up.'
    : '';
  // A failure ends the wait at once: the step's answer is known, and the other runs need not hold the job.
  const others =
    unfinished.length > 0
      ? ` Not waited for, going on in Prefect: ${unfinished.join('; ')}.${workerHint}`
      : '';
  const { end } = report;
  switch (end.kind) {
    case 'done': {
      const runs = report.runs.length;
      const followed = context.waitFor === 'flow-runs';
      return {
        kind: 'done',
        line:
          `Done in ${describeDuration(report.elapsedMs)}: ${plural(report.firings.length, 'automation firing')} ` +
          `finished${followed ? `, ${plural(runs, 'flow run')} completed.` : '.'}`,
        ...(followed &&
          runs === 0 && {
            notice:
              "wait-for: flow-runs: the automations' actions started no flow run, so there was none to follow.",
          }),
      };
    }
    case 'action failed': {
      const { firing, action } = end;
      const reason = oneLine(action.reason ?? 'Prefect gave no reason').replace(/\.$/, '');
      return {
        kind: 'failed',
        message:
          `Automation "${oneLine(firing.automationName)}" fired on ${eventText(firing.eventId)}, but its action ` +
          `${action.index + 1} (${action.type}) failed: ${reason}${link(links.automation(firing.automationId))}.${others}`,
        softened: false,
      };
    }
    case 'run failed':
      return runFailed(end.run, end.logs, links, others);
    case 'no automation': {
      const listed = events.slice(0, 5).map((event) => eventText(event.id));
      const which =
        events.length === 1
          ? `event ${listed[0]}`
          : `any of the ${events.length} events (${listed.join(', ')}${events.length > 5 ? ', …' : ''})`;
      return {
        kind: 'failed',
        message:
          `No automation fired on ${which} within ${seconds}. Check the automation's trigger: its "expect" must ` +
          `name the event and its "match" (and "match_related") must fit the event's resources; an event with ` +
          `"follows" is held up to 15 minutes until Prefect has seen the event it follows, and a proactive ` +
          `trigger fires only when its "within" window ends.`,
        softened: true,
      };
    }
    case 'timeout': {
      const pending = report.firings
        .filter(
          (firing) =>
            firing.actions.some((a) => a.outcome === 'pending') ||
            firing.actions.length < (firing.actionCount ?? 1),
        )
        .map(
          (firing) =>
            `automation "${oneLine(firing.automationName)}" on ${eventText(firing.eventId)} has actions still to run`,
        );
      return {
        kind: 'failed',
        message:
          `Prefect's work on ${described} did not finish within ${seconds}: ${[...pending, ...unfinished].join('; ')}.` +
          `${workerHint} It goes on in Prefect; this step stopped waiting.`,
        softened: true,
      };
    }
    case 'read failed':
      return { kind: 'failed', message: `Waiting for Prefect failed: ${end.message}`, softened: true };
  }
}

/** "flow run "x" (deployment d) is still running, last state RUNNING: {link}". */
function unfinishedText(run: FlowRunRecord, links: UiLinks): string {
  const where = notStarted(run)
    ? 'has not started'
    : awaitingRetry(run)
      ? 'failed and is waiting to retry'
      : 'is still running';
  return `flow run ${describeRun(run)} ${where}, last state ${describeState(run)}${link(links.flowRun(run.id))}`;
}

function runFailed(
  run: FlowRunRecord,
  logs: LogLine[] | undefined,
  links: UiLinks,
  others: string,
): WaitOutcome {
  const what = `flow run ${describeRun(run)}`;
  return {
    kind: 'failed',
    message:
      `The ${what} ended ${describeState(run)}${run.stateMessage ? ` (${oneLine(run.stateMessage)})` : ''}` +
      `${link(links.flowRun(run.id))}${logWords(logs)}` +
      others,
    softened: false,
    ...(logs !== undefined &&
      logs.length > 0 && {
        logs: {
          title: `The last ${plural(logs.length, 'log line')} of ${what}`,
          lines: logs.map((log) => `${log.timestamp} ${log.level} ${log.message}`),
        },
      }),
  };
}

function logWords(logs: LogLine[] | undefined): string {
  if (logs === undefined) return '; its log lines could not be read from Prefect.';
  return logs.length > 0 ? '; its last log lines are in the group above.' : '; it logged nothing.';
}
