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
  // Each event's occurred, as written, by id (read as a date only for an event that a later one follows),
  // kept only when an item follows another.
  const occurredById = specs.some((spec) => spec.follows) ? new Map<string, string>() : undefined;
  return specs.map((spec, index) => {
    const earlier = spec.follows && !spec.follows.occurred ? occurredById?.get(spec.follows.id) : undefined;
    const followsEarlier = earlier && spec.follows && { ...spec.follows, occurred: new Date(earlier) };
    const built = buildEvent(
      followsEarlier ? { ...spec, follows: followsEarlier } : spec,
      context,
      specs.length > 1 ? index : undefined,
    );
    occurredById?.set(built.event.id, built.event.occurred);
    return built;
  });
}

/** `sequence`: the event's place in a batch, so that new ids sort in the batch's order. */
export function buildEvent(spec: EventSpec, context: EventContext, sequence?: number): BuiltEvent {
  let resource = spec.resource;
  if (!resource) {
    if (!context.workflowRun) {
      throw new EventError(
        `${spec.origin.resource} is required outside a GitHub workflow run (no GITHUB_RUN_ID to name the run).`,
      );
    }
    resource = context.workflowRun;
  }
  const automatic = automaticRelated(context, spec.resource !== undefined);
  if (automatic.length + spec.related.length > MAX_RELATED_RESOURCES) {
    throw new EventError(
      `${spec.origin.related} gives ${spec.related.length} related resources; with the ${automatic.length} from ` +
        `the workflow context that is more than Prefect's limit of ${MAX_RELATED_RESOURCES} ` +
        '(github-context: false leaves those out).',
    );
  }
  const occurred = spec.occurred ?? context.now;
  const decision = spec.follows && decideFollows(spec.follows, occurred);
  const event: PrefectEvent = {
    occurred: isoTime(occurred),
    event: spec.event,
    resource,
    // Events with no related resources of their own share one list: nothing changes an event once built.
    related: spec.related.length === 0 ? automatic : [...automatic, ...spec.related],
    payload: spec.payload,
    // A made id is lowercase already.
    id: spec.id === undefined ? uuidv7(context.now.getTime(), sequence) : spec.id.toLowerCase(),
    follows: decision && decision.follows !== null ? decision.follows.toLowerCase() : null,
  };
  const broken = findRuleBreak(event, spec.id === undefined);
  if (broken) {
    const origin = spec.origin[broken.field as keyof EventSpec['origin']] ?? spec.origin.payload;
    const where = broken.where && broken.where !== broken.field ? ` at ${broken.where}` : '';
    throw new EventError(`${origin} makes an event Prefect would not take${where}: it ${broken.problem}.`);
  }
  return decision && 'reason' in decision ? { event, notice: decision.reason } : { event };
}

// What a batch shares, worked out for its first event rather than for each: the workflow context's
// related resources (with the run, for an event whose resource is its own, or without), and now as text.
const automaticLists = new WeakMap<EventContext, { withRun?: Labels[]; withoutRun?: Labels[] }>();
const isoTimes = new WeakMap<Date, string>();

/** The workflow context's related resources of an event: the run first when the event names its own resource. */
function automaticRelated(context: EventContext, ownResource: boolean): Labels[] {
  let lists = automaticLists.get(context);
  if (!lists) {
    lists = {};
    automaticLists.set(context, lists);
  }
  if (ownResource && context.relateWorkflowRun && context.workflowRun) {
    return (lists.withRun ??= [workflowRunAsRelated(context.workflowRun), ...context.related]);
  }
  return (lists.withoutRun ??= [...context.related]);
}

function isoTime(date: Date): string {
  let text = isoTimes.get(date);
  if (text === undefined) {
    text = date.toISOString();
    isoTimes.set(date, text);
  }
  return text;
}

// The workflow run as a related resource, made once for the run: one object shared by every event of a
// batch, so it is held, checked and measured once (event/schema.ts).
const relatedRuns = new WeakMap<Labels, Labels>();

function workflowRunAsRelated(run: Labels): Labels {
  let related = relatedRuns.get(run);
  if (!related) {
    related = asRelated(run, 'workflow-run');
    relatedRuns.set(run, related);
  }
  return related;
}

/** A primary resource as a related one: the role label added after the id, where Prefect's own events have it. */
export function asRelated(resource: Labels, role: string): Labels {
  const { [RESOURCE_ID]: id = '', [RESOURCE_ROLE]: _previous, ...rest } = resource;
  return { [RESOURCE_ID]: id, [RESOURCE_ROLE]: role, ...rest };
}
