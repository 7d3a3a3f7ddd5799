// The step's outputs: the last event (for `follows` in later steps and jobs), every id, and the outcome.
import type { PrefectEvent } from '../event/schema.ts';
import type { UiLinks } from '../prefect/api.ts';
// Types only: the waiting code is a bundle of its own (scripts/bundle.mjs), kept out of every step's start-up.
import type { FiringReport, FlowRunRecord } from '../prefect/watch.ts';

export type SetOutput = (name: string, value: string) => void;

/** The outputs known once the events are built, before anything is sent. */
export function setEventOutputs(setOutput: SetOutput, events: readonly PrefectEvent[]): void {
  const last = events[events.length - 1];
  if (!last) return;
  setOutput('event-id', last.id);
  setOutput('occurred', last.occurred);
  setOutput('event', JSON.stringify(last));
  // Every id in order, a one-item array for a single event, so later steps read one shape.
  setOutput('event-ids', JSON.stringify(events.map((event) => event.id)));
}

/** The outputs known once delivery is over. `url` only when emitted: a link to nothing helps no one. */
export function setDeliveryOutputs(setOutput: SetOutput, emitted: boolean, url: string | undefined): void {
  setOutput('emitted', String(emitted));
  setOutput('url', emitted && url ? url : '');
}

/** What the wait saw, as the `automations` and `flow-runs` outputs: JSON arrays, Prefect's field names. */
export function setWaitOutputs(
  setOutput: SetOutput,
  seen: { firings: readonly FiringReport[]; runs: readonly FlowRunRecord[] },
  links: UiLinks,
): void {
  const automations = seen.firings.map((firing) => ({
    id: firing.automationId,
    name: firing.automationName,
    url: links.automation(firing.automationId) ?? null,
    event_id: firing.eventId,
    actions: firing.actions.map((action) => ({
      index: action.index,
      type: action.type,
      outcome: action.outcome,
      ...(action.reason !== undefined && { reason: action.reason }),
      ...(action.flowRun && { flow_run_id: action.flowRun.id }),
    })),
  }));
  const flowRuns = seen.runs.map((run) => ({
    id: run.id,
    name: run.name,
    deployment_id: run.deploymentId ?? null,
    state_type: run.stateType ?? null,
    state_name: run.stateName ?? null,
    url: links.flowRun(run.id) ?? null,
  }));
  setOutput('automations', JSON.stringify(automations));
  setOutput('flow-runs', JSON.stringify(flowRuns));
}
