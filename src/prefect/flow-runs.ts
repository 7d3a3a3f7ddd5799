// Flow runs as Prefect's REST API tells them: their states (POST /flow_runs/filter), a run's deployment's
// name (GET /deployments/{id}), and its last log lines (POST /logs/filter). A final state is confirmed here, over
// REST, not read from an event stream.
import type { PrefectReader } from './reads.ts';

export interface FlowRunRecord {
  id: string;
  name: string;
  deploymentId?: string;
  deploymentName?: string;
  /** SCHEDULED, PENDING, RUNNING, COMPLETED …; undefined until first read. */
  stateType?: string;
  stateName?: string;
  /** The state's message, e.g. the exception of a failed run. */
  stateMessage?: string;
}

/** The states a run does not leave (CANCELLING and PAUSED are on their way somewhere). */
const FINAL_STATES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'CRASHED']);

export const isFinal = (run: FlowRunRecord): boolean => FINAL_STATES.has(run.stateType ?? '');

/** A run that failed and will run again: Prefect puts it back in SCHEDULED, named AwaitingRetry. */
export const awaitingRetry = (run: FlowRunRecord): boolean =>
  run.stateType === 'SCHEDULED' && run.stateName === 'AwaitingRetry';

/** A run no worker has taken yet: SCHEDULED (Late, too, but not one awaiting its retry) or PENDING. */
export const notStarted = (run: FlowRunRecord): boolean =>
  (run.stateType === 'SCHEDULED' && !awaitingRetry(run)) || run.stateType === 'PENDING';

/** Text from Prefect on one line, cut: run names, state messages and reasons go into log lines and errors. */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** `"brave-otter" (deployment refresh-warehouse)`: the run's name and its deployment's (or its id). */
export function describeRun(run: FlowRunRecord): string {
  const deployment = run.deploymentName ?? run.deploymentId;
  return `"${oneLine(run.name)}"${deployment ? ` (deployment ${oneLine(deployment)})` : ''}`;
}

/** `RUNNING`, or `SCHEDULED (Late)` when the state's name says more than its type. */
export function describeState(run: FlowRunRecord): string {
  if (!run.stateType) return 'unknown';
  const name = run.stateName && oneLine(run.stateName);
  return name && name.toUpperCase() !== run.stateType ? `${run.stateType} (${name})` : run.stateType;
}

/** Prefect's /flow_runs/filter answers at most 200 runs a request (PREFECT_SERVER_API_DEFAULT_LIMIT). */
const RUNS_A_QUERY = 200;

interface FlowRunAnswer {
  id?: unknown;
  name?: unknown;
  deployment_id?: unknown;
  state?: { type?: unknown; name?: unknown; message?: unknown } | null;
}

/** Puts a run as the server told it into its record; true when its state (type or name) changed. */
function apply(run: FlowRunRecord, answer: FlowRunAnswer): boolean {
  if (typeof answer.name === 'string' && answer.name !== '') run.name = answer.name;
  if (typeof answer.deployment_id === 'string') run.deploymentId = answer.deployment_id;
  const type = typeof answer.state?.type === 'string' ? answer.state.type : undefined;
  const name = typeof answer.state?.name === 'string' ? answer.state.name : undefined;
  const changed = type !== run.stateType || name !== run.stateName;
  if (type !== undefined) run.stateType = type;
  if (name !== undefined) run.stateName = name;
  if (typeof answer.state?.message === 'string' && answer.state.message !== '') {
    run.stateMessage = answer.state.message;
  }
  return changed;
}

/**
 * Reads the runs' current states into them, 200 runs a request (POST /flow_runs/filter), so a batch's many
 * runs cost a request, not a burst of one each; the runs whose state (type or name) changed, in order.
 */
export async function refreshFlowRuns(
  reader: PrefectReader,
  runs: readonly FlowRunRecord[],
): Promise<FlowRunRecord[]> {
  const changed = new Set<FlowRunRecord>();
  for (let i = 0; i < runs.length; i += RUNS_A_QUERY) {
    const group = runs.slice(i, i + RUNS_A_QUERY);
    const answer = await reader.post('/flow_runs/filter', {
      flow_runs: { id: { any_: group.map((run) => run.id) } },
      limit: RUNS_A_QUERY,
    });
    const byId = new Map(group.map((run) => [run.id, run]));
    for (const item of Array.isArray(answer) ? (answer as FlowRunAnswer[]) : []) {
      const run = typeof item.id === 'string' ? byId.get(item.id) : undefined;
      if (run && apply(run, item)) changed.add(run);
    }
  }
  return runs.filter((run) => changed.has(run));
}

/** A deployment's name, or undefined when it cannot be read (the id then stands for it). */
export async function readDeploymentName(reader: PrefectReader, id: string): Promise<string | undefined> {
  const answer = (await reader.get(`/deployments/${encodeURIComponent(id)}`)) as { name?: unknown };
  return typeof answer.name === 'string' && answer.name !== '' ? answer.name : undefined;
}

export interface LogLine {
  timestamp: string;
  level: string;
  message: string;
}

const LEVELS: Record<number, string> = {
  10: 'DEBUG',
  20: 'INFO',
  30: 'WARNING',
  40: 'ERROR',
  50: 'CRITICAL',
};

/** The run's last `count` log lines, oldest first. */
export async function readLastLogs(reader: PrefectReader, runId: string, count: number): Promise<LogLine[]> {
  const answer = await reader.post('/logs/filter', {
    logs: { flow_run_id: { any_: [runId] } },
    sort: 'TIMESTAMP_DESC',
    limit: count,
  });
  const logs = Array.isArray(answer) ? (answer as Record<string, unknown>[]) : [];
  return logs.reverse().map((log) => ({
    timestamp: typeof log.timestamp === 'string' ? log.timestamp : '',
    level: typeof log.level === 'number' ? (LEVELS[log.level] ?? `LEVEL ${log.level}`) : '',
    message: typeof log.message === 'string' ? log.message : '',
  }));
}
