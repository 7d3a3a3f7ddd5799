// The step's outputs: the last event (for `follows` in later steps and jobs), every id, and the outcome.
import type { PrefectEvent } from '../event/schema.ts';

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

/** What the wait saw (steps/wait.ts), as the `automations` and `flow-runs` outputs: JSON arrays. */
export function setWaitOutputs(
  setOutput: SetOutput,
  automations: readonly Record<string, unknown>[],
  flowRuns: readonly Record<string, unknown>[],
): void {
  setOutput('automations', JSON.stringify(automations));
  setOutput('flow-runs', JSON.stringify(flowRuns));
}
