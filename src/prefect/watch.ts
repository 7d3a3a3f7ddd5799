// What Prefect did with some events it accepted: the automations that fired on them and how their actions
// went, then (when asked) the flow runs those actions created, followed to a final state. Polls within a
// deadline, at most about one request a second, less often as the wait grows. Knows nothing of GitHub or of
// the action's inputs; time is injected, so tests do not wait.
import {
  automationEventsQuery,
  firingDone,
  readActionCount,
  readAutomationEvents,
  recordAutomationEvents,
  type ActionRecord,
  sortedActions,
  type Firing,
} from './automation-events.ts';
import {
  describeRun,
  describeState,
  isFinal,
  readDeploymentName,
  readLastLogs,
  refreshFlowRuns,
  type FlowRunRecord,
  type LogLine,
} from './flow-runs.ts';
import { ReadError, type PrefectReader } from './reads.ts';
import { describeDuration } from '../report/duration.ts';

export type { ActionRecord } from './automation-events.ts';

/** A firing as the report gives it: its actions in the automation's order. */
export interface FiringReport extends Omit<Firing, 'actions'> {
  actions: ActionRecord[];
}
export type { FlowRunRecord, LogLine } from './flow-runs.ts';

/**
 * After an automation is seen, how long to keep looking for more: a server stores events in batches every
 * 5 s or so, so a second automation's events may come one batch later than the first's. Counted from the
 * latest automation seen, so the firings of a large batch, stored over several batches, are all awaited.
 */
const SETTLE_MS = 10_000;
/** The quickest pace: about one request a second. */
const MIN_INTERVAL_MS = 1_000;
/** The slowest pace, reached after 100 s of waiting: one look every 10 s. */
export const MAX_INTERVAL_MS = 10_000;
/** The log lines shown of a run that did not complete. */
const LOG_LINES = 50;
/** Event ids in one events/filter request: a batch of thousands is asked about in groups. */
const IDS_A_QUERY = 200;
// Automation events are stamped with the server's clock; this much either side of the wait allows for skew.
const CLOCK_SKEW_MS = 60 * 60 * 1000;

export interface WatchOptions {
  reader: PrefectReader;
  /** The accepted events: what automations fired on. */
  events: readonly { id: string; event: string }[];
  /** `flow-runs`: also follow the runs the actions created to a final state. */
  follow: 'automations' | 'flow-runs';
  timeoutMs: number;
  settleMs?: number;
  /** Progress, a line at a time: automations firing, runs changing state. */
  log: (line: string) => void;
  debug?: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export type WatchEnd =
  | { kind: 'done' }
  | { kind: 'action failed'; firing: FiringReport; action: ActionRecord }
  /** `logs` undefined: the run's logs could not be read. */
  | { kind: 'run failed'; run: FlowRunRecord; logs: LogLine[] | undefined }
  | { kind: 'no automation' }
  | { kind: 'timeout' }
  | { kind: 'read failed'; message: string };

export interface WatchReport {
  end: WatchEnd;
  firings: FiringReport[];
  runs: FlowRunRecord[];
  elapsedMs: number;
}

/** The firing with its actions in order, as a plain list for the report's readers. */
const reported = (firing: Firing): FiringReport => ({ ...firing, actions: sortedActions(firing) });

/** The pause between looks: a tenth of the time waited so far, from one second up to ten. */
export function intervalMs(elapsedMs: number): number {
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, Math.round(elapsedMs / 10)));
}

export async function watch(options: WatchOptions): Promise<WatchReport> {
  const { reader, follow, log } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const settleMs = options.settleMs ?? SETTLE_MS;
  const started = now();
  const deadline = started + options.timeoutMs;
  const watched = new Set(options.events.map((event) => event.id));
  // A large batch is asked about in groups of ids, so no request body grows with the batch.
  const ids = [...watched];
  const queries = Array.from({ length: Math.ceil(ids.length / IDS_A_QUERY) }, (_, i) =>
    automationEventsQuery(ids.slice(i * IDS_A_QUERY, (i + 1) * IDS_A_QUERY), {
      since: new Date(started - CLOCK_SKEW_MS),
      until: new Date(deadline + CLOCK_SKEW_MS),
    }),
  );
  const firings = new Map<string, Firing>();
  const seen = new Set<string>();
  const announced = new Set<string>();
  const actionCounts = new Map<string, number | undefined>();
  const runs = new Map<string, FlowRunRecord>();
  const deployments = new Map<string, string | undefined>();
  let lastFiringAt: number | undefined;
  let automationsSettled = false;
  const elapsed = () => describeDuration(now() - started);
  const report = (end: WatchEnd): WatchReport => ({
    end,
    firings: [...firings.values()].map(reported),
    runs: [...runs.values()],
    elapsedMs: now() - started,
  });

  /** One look at the automation events; the first action that failed, if any. */
  const lookAtAutomations = async (): Promise<WatchEnd | undefined> => {
    for (const query of queries) {
      recordAutomationEvents(firings, seen, await readAutomationEvents(reader, query), watched);
    }
    for (const [key, firing] of firings) {
      // Recorded by a look a failed read cut short, or by this one: each firing is announced once.
      if (announced.has(key)) continue;
      announced.add(key);
      lastFiringAt = now();
      const event = options.events.find((e) => e.id === firing.eventId);
      log(
        `Automation "${firing.automationName}" fired on ${event?.event ?? 'the event'} (${firing.eventId}), ${elapsed()}.`,
      );
      // Read once an automation, however many of the batch's events it fired on.
      if (!actionCounts.has(firing.automationId)) {
        try {
          actionCounts.set(firing.automationId, await readActionCount(reader, firing.automationId));
        } catch (error) {
          // Deleted since it fired, or not readable with these credentials: its actions are those seen.
          if (!(error instanceof ReadError)) throw error;
          options.debug?.(`The automation's actions could not be counted: ${error.message}`);
          actionCounts.set(firing.automationId, undefined);
        }
      }
      const count = actionCounts.get(firing.automationId);
      if (count !== undefined) firing.actionCount = count;
    }
    for (const firing of firings.values()) {
      for (const action of firing.actions.values()) {
        if (action.outcome === 'failed') return { kind: 'action failed', firing: reported(firing), action };
        if (action.flowRun && !runs.has(action.flowRun.id)) {
          runs.set(action.flowRun.id, {
            id: action.flowRun.id,
            name: action.flowRun.name ?? action.flowRun.id,
            ...(action.deploymentId && { deploymentId: action.deploymentId }),
          });
        }
      }
    }
    const settled = lastFiringAt !== undefined && now() - lastFiringAt >= settleMs;
    automationsSettled = settled && [...firings.values()].every(firingDone);
    return undefined;
  };

  /** One look at each unfinished run, logging its state when it changed. */
  const lookAtRuns = async (): Promise<void> => {
    const unfinished = [...runs.values()].filter((run) => !isFinal(run));
    for (const run of unfinished.length > 0 ? await refreshFlowRuns(reader, unfinished) : []) {
      if (run.deploymentId && !deployments.has(run.deploymentId)) {
        deployments.set(
          run.deploymentId,
          await readDeploymentName(reader, run.deploymentId).catch(() => undefined),
        );
      }
      const deployment = run.deploymentId && deployments.get(run.deploymentId);
      if (deployment) run.deploymentName = deployment;
      log(`Flow run ${describeRun(run)}: ${describeState(run)}, ${elapsed()}.`);
    }
  };

  /** A run that ended other than COMPLETED, with its last log lines (undefined when they cannot be read). */
  const runFailed = async (): Promise<WatchEnd | undefined> => {
    const run = [...runs.values()].find((r) => isFinal(r) && r.stateType !== 'COMPLETED');
    if (!run) return undefined;
    try {
      return { kind: 'run failed', run, logs: await readLastLogs(reader, run.id, LOG_LINES) };
    } catch (error) {
      // The run's end is the answer, whether or not its logs can be read.
      if (!(error instanceof ReadError)) throw error;
      options.debug?.(`The flow run's logs could not be read: ${error.message}`);
      return { kind: 'run failed', run, logs: undefined };
    }
  };

  for (;;) {
    const lookStarted = now();
    const requestsBefore = reader.requests;
    let failed: WatchEnd | undefined;
    // The words of this look's failed read, when one failed, and how long the server asked to be left alone.
    let unread: string | undefined;
    let retryAfter = 0;
    try {
      if (!automationsSettled) failed = await lookAtAutomations();
      if (!failed && follow === 'flow-runs') await lookAtRuns();
    } catch (error) {
      if (!(error instanceof ReadError)) throw error;
      // A long wait outlives a server restart or a rate limit: such a failure is tried again at a later look.
      if (!error.mayPass) return report({ kind: 'read failed', message: error.message });
      log(`Prefect could not be read (${error.message}); trying again in a while, ${elapsed()}.`);
      unread = error.message;
      retryAfter = error.retryAfterMs ?? 0;
    }
    // Also after a look a failed read cut short: a run seen ending is the answer.
    failed ??= follow === 'flow-runs' ? await runFailed() : undefined;
    if (failed) return report(failed);
    const runsDone = follow === 'automations' || [...runs.values()].every(isFinal);
    if (unread === undefined && automationsSettled && runsDone) return report({ kind: 'done' });
    const time = now();
    if (time >= deadline) {
      // Not "no automation" when Prefect could not be read to see one.
      if (firings.size === 0)
        return report(unread ? { kind: 'read failed', message: unread } : { kind: 'no automation' });
      // The deadline cut the settling short: what fired has finished, so the wait is over.
      const finished = [...firings.values()].every(firingDone) && runsDone;
      return report({ kind: finished ? 'done' : 'timeout' });
    }
    // The next look after the pause, or later when this one took many requests: about one a second at most;
    // after a failed read, the slowest pace or the server's Retry-After, so a rate limit is not run into again.
    const requests = reader.requests - requestsBefore;
    const pace = unread !== undefined ? Math.max(MAX_INTERVAL_MS, retryAfter) : intervalMs(time - started);
    const pause = Math.max(pace, requests * MIN_INTERVAL_MS) - (time - lookStarted);
    await sleep(Math.max(0, Math.min(pause, deadline - time)));
  }
}
