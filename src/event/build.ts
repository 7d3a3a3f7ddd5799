// spec + workflow context + now -> a PrefectEvent that the server will store, or an EventError that names
// where the offending part came from. Pure.
import { decideFollows } from './follows.ts';
import {
  findRuleBreak,
  MAX_RELATED_RESOURCES,
  RESOURCE_ID,
  RESOURCE_ROLE,
  type Labels,
  type PrefectEvent,
} from './schema.ts';
import type { EventSpec } from './spec.ts';
import { uuidv7 } from './uuid.ts';

/** The spec cannot become an event Prefect would store; the message is a whole sentence for the user. */
export class EventError extends Error {
  override name = 'EventError';
}

export interface EventContext {
  /** The workflow run, without a role; absent outside a workflow run. */
  workflowRun?: Labels;
  /** The other workflow-context resources, each with its role; [] when the context is not wanted. */
  related: Labels[];
  /** Whether the workflow run is added as a related resource when the spec names its own resource. */
  relateWorkflowRun: boolean;
  now: Date;
}

export interface BuiltEvent {
  event: PrefectEvent;
  /** Said to the user, not an error: why `follows` was left out. */
  notice?: string;
}

/**
 * Builds every spec, in order, all or none. An event that follows an earlier one of the same batch is
 * weighed against that event's own occurred (now, when the item gave none) under the 5-minute rule, and
 * the batch's new ids sort in its order.
 */
export function buildEvents(specs: readonly EventSpec[], context: EventContext): BuiltEvent[] {
  const occurredById = new Map<string, Date>();
  return specs.map((spec, index) => {
    const earlier = spec.follows && !spec.follows.occurred ? occurredById.get(spec.follows.id) : undefined;
    const follows = earlier && spec.follows ? { ...spec.follows, occurred: earlier } : spec.follows;
    const built = buildEvent(
      { ...spec, ...(follows && { follows }) },
      context,
      specs.length > 1 ? index : undefined,
    );
    occurredById.set(built.event.id, new Date(built.event.occurred));
    return built;
  });
}

/** `sequence`: the event's place in a batch, so that new ids sort in the batch's order. */
export function buildEvent(spec: EventSpec, context: EventContext, sequence?: number): BuiltEvent {
  const automatic = [...context.related];
  let resource = spec.resource;
  if (!resource) {
    if (!context.workflowRun) {
      throw new EventError(
        `${spec.origin.resource} is required outside a GitHub workflow run (no GITHUB_RUN_ID to name the run).`,
      );
    }
    resource = context.workflowRun;
  } else if (context.relateWorkflowRun && context.workflowRun) {
    automatic.unshift(asRelated(context.workflowRun, 'workflow-run'));
  }
  if (automatic.length + spec.related.length > MAX_RELATED_RESOURCES) {
    throw new EventError(
      `${spec.origin.related} gives ${spec.related.length} related resources; with the ${automatic.length} from ` +
        `the workflow context that is more than Prefect's limit of ${MAX_RELATED_RESOURCES} ` +
        '(github-context: false leaves those out).',
    );
  }
  const occurred = spec.occurred ?? context.now;
  const decision = spec.follows ? decideFollows(spec.follows, occurred) : { follows: null };
  const event: PrefectEvent = {
    occurred: occurred.toISOString(),
    event: spec.event,
    resource,
    related: [...automatic, ...spec.related],
    payload: spec.payload,
    id: (spec.id ?? uuidv7(context.now.getTime(), sequence)).toLowerCase(),
    follows: decision.follows === null ? null : decision.follows.toLowerCase(),
  };
  const broken = findRuleBreak(event);
  if (broken) {
    const origin = spec.origin[broken.field as keyof EventSpec['origin']] ?? spec.origin.payload;
    const where = broken.where && broken.where !== broken.field ? ` at ${broken.where}` : '';
    throw new EventError(`${origin} makes an event Prefect would not take${where}: it ${broken.problem}.`);
  }
  return 'reason' in decision ? { event, notice: decision.reason } : { event };
}

/** A primary resource as a related one: the role label added after the id, where Prefect's own events have it. */
export function asRelated(resource: Labels, role: string): Labels {
  const { [RESOURCE_ID]: id = '', [RESOURCE_ROLE]: _previous, ...rest } = resource;
  return { [RESOURCE_ID]: id, [RESOURCE_ROLE]: role, ...rest };
}
