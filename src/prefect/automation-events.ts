// What Prefect's automations said about some events, read from the events they emit: which automations fired
// on each event (`*.automation.triggered`), and how each of their actions went (`*.automation.action.*`).
// Facts from Prefect's server (src/prefect/server/events/actions.py, schemas/automations.py): each of these
// events has the automation as its resource, `prefect.event.{the triggering event's id}` related with role
// `triggering-event`, and the action events carry `action_index` and `action_type` in their payload, `reason`
// when failed, and the flow run a run-deployment action created (role `flow-run`). Prefect Cloud names the
// same events `prefect-cloud.automation.*`.
import { isUuid } from '../event/uuid.ts';
import type { PrefectReader } from './reads.ts';

export type ActionOutcome = 'pending' | 'executed' | 'failed';

export interface ActionRecord {
  index: number;
  type: string;
  outcome: ActionOutcome;
  /** Why a failed action failed, in Prefect's words. */
  reason?: string;
  /** The flow run a run-deployment action created. */
  flowRun?: { id: string; name?: string };
  /** The deployment the action targeted. */
  deploymentId?: string;
}

/** One automation firing on one of the watched events. */
export interface Firing {
  automationId: string;
  automationName: string;
  /** The watched event it fired on. */
  eventId: string;
  /** How many actions the automation has (GET /automations/{id}); undefined until known or unknowable. */
  actionCount?: number;
  actions: Map<number, ActionRecord>;
}

const NAMESPACES = ['prefect', 'prefect-cloud'];
const KINDS = [
  'automation.triggered',
  'automation.action.triggered',
  'automation.action.executed',
  'automation.action.failed',
];
const EVENT_NAMES = NAMESPACES.flatMap((namespace) => KINDS.map((kind) => `${namespace}.${kind}`));

// Prefect's events/filter answers at most 50 events a page. The pages one look reads are bounded, but well
// past what a group of 200 events makes (50 automation events each: 10 automations of 2 actions), since the
// pages past the bound are never seen: each look reads from the oldest again.
const PAGE_LIMIT = 50;
const MAX_PAGES = 200;

interface ReceivedEvent {
  id?: unknown;
  event?: unknown;
  resource?: Record<string, unknown>;
  related?: Record<string, unknown>[];
  payload?: Record<string, unknown>;
}

interface EventPage {
  events?: ReceivedEvent[];
  next_page?: string | null;
}

/** The body of POST /events/filter for the automation events of the watched events, within a time window. */
export function automationEventsQuery(
  eventIds: readonly string[],
  window: { since: Date; until: Date },
): Record<string, unknown> {
  return {
    filter: {
      occurred: { since: window.since.toISOString(), until: window.until.toISOString() },
      event: { name: EVENT_NAMES },
      related: { id: eventIds.map((id) => `prefect.event.${id}`), role: ['triggering-event'] },
      order: 'ASC',
    },
    limit: PAGE_LIMIT,
  };
}

/** Every automation event of the watched events the server has stored so far, following `next_page`. */
export async function readAutomationEvents(
  reader: PrefectReader,
  query: Record<string, unknown>,
): Promise<ReceivedEvent[]> {
  const events: ReceivedEvent[] = [];
  let page = (await reader.post('/events/filter', query)) as EventPage;
  for (let pages = 1; ; pages++) {
    events.push(...(page.events ?? []));
    if (!page.next_page || pages >= MAX_PAGES) return events;
    page = (await reader.get(nextPagePath(page.next_page))) as EventPage;
  }
}

const NEXT_PAGE = '/events/filter/next';

/**
 * Where to GET the next page: the server builds `next_page` from the address it sees itself at (Prefect's
 * api/events.py: its request's base URL + `api/events/filter/next`), which behind a TLS-terminating proxy or
 * under a path prefix is not the API URL the step was given. The page token is kept as is, asked of our API.
 */
function nextPagePath(nextPage: string): string {
  try {
    const url = new URL(nextPage);
    if (url.pathname.endsWith(NEXT_PAGE)) return `${NEXT_PAGE}${url.search}`;
  } catch {
    // Not a URL: given to the reader as it came, which refuses what is not the API's.
  }
  return nextPage;
}

const relatedId = (event: ReceivedEvent, role: string, prefix: string): string | undefined => {
  for (const resource of event.related ?? []) {
    const id = resource['prefect.resource.id'];
    if (resource['prefect.resource.role'] === role && typeof id === 'string' && id.startsWith(prefix)) {
      return id.slice(prefix.length);
    }
  }
  return undefined;
};

const relatedName = (event: ReceivedEvent, role: string): string | undefined => {
  const resource = (event.related ?? []).find((r) => r['prefect.resource.role'] === role);
  const name = resource?.['prefect.resource.name'];
  return typeof name === 'string' && name !== '' ? name : undefined;
};

/** The kind of an automation event, whichever namespace names it: `automation.action.failed` … */
function kindOf(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const namespace = NAMESPACES.find((ns) => name.startsWith(`${ns}.`));
  const kind = namespace && name.slice(namespace.length + 1);
  return kind && KINDS.includes(kind) ? kind : undefined;
}

/**
 * Folds automation events into the firings, keyed `{automation id}/{event id}`: an automation fires once on
 * one event. Events seen before are skipped by id; an action's outcome only moves from pending to final.
 */
export function recordAutomationEvents(
  firings: Map<string, Firing>,
  seen: Set<string>,
  events: readonly ReceivedEvent[],
  watched: ReadonlySet<string>,
): void {
  for (const event of events) {
    const kind = kindOf(event.event);
    const automationId = String(event.resource?.['prefect.resource.id'] ?? '').replace(
      /^prefect\.automation\./,
      '',
    );
    const eventId = relatedId(event, 'triggering-event', 'prefect.event.');
    if (typeof event.id !== 'string' || seen.has(event.id) || !kind || !eventId || !watched.has(eventId))
      continue;
    seen.add(event.id);
    const key = `${automationId}/${eventId}`;
    const name = event.resource?.['prefect.resource.name'];
    let firing = firings.get(key);
    if (!firing) {
      firing = {
        automationId,
        automationName: typeof name === 'string' ? name : automationId,
        eventId,
        actions: new Map(),
      };
      firings.set(key, firing);
    }
    if (kind === 'automation.triggered') continue;
    const payload = event.payload ?? {};
    const index = typeof payload.action_index === 'number' ? payload.action_index : 0;
    const previous = firing.actions.get(index);
    if (previous && previous.outcome !== 'pending') continue;
    const outcome: ActionOutcome =
      kind === 'automation.action.executed'
        ? 'executed'
        : kind === 'automation.action.failed'
          ? 'failed'
          : 'pending';
    // Read back in groups by id, which a single id other than a UUID would make Prefect refuse whole (422).
    const runId = relatedId(event, 'flow-run', 'prefect.flow-run.');
    const flowRunId = runId !== undefined && isUuid(runId) ? runId : undefined;
    const flowRunName = relatedName(event, 'flow-run');
    const deploymentId = relatedId(event, 'target', 'prefect.deployment.');
    firing.actions.set(index, {
      index,
      type: typeof payload.action_type === 'string' ? payload.action_type : 'unknown',
      outcome,
      ...(typeof payload.reason === 'string' && { reason: payload.reason }),
      ...(flowRunId && { flowRun: { id: flowRunId, ...(flowRunName && { name: flowRunName }) } }),
      ...(deploymentId && { deploymentId }),
    });
  }
}

/** The firing's actions in the automation's order. */
export function sortedActions(firing: Firing): ActionRecord[] {
  return [...firing.actions.values()].sort((a, b) => a.index - b.index);
}

/** Whether every action of the firing has an outcome (when the number of actions is unknown: those seen). */
export function firingDone(firing: Firing): boolean {
  const actions = [...firing.actions.values()];
  if (firing.actionCount === undefined)
    return actions.length > 0 && actions.every((a) => a.outcome !== 'pending');
  for (let index = 0; index < firing.actionCount; index++) {
    const action = firing.actions.get(index);
    if (!action || action.outcome === 'pending') return false;
  }
  return true;
}

/** How many actions an automation has, from GET /automations/{id}; undefined when it cannot be read. */
export async function readActionCount(
  reader: PrefectReader,
  automationId: string,
): Promise<number | undefined> {
  const automation = (await reader.get(`/automations/${encodeURIComponent(automationId)}`)) as {
    actions?: unknown;
  };
  return Array.isArray(automation.actions) ? automation.actions.length : undefined;
}
