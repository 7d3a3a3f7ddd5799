// Prefect's automations and flow runs, played on the Prefect stub (prefect-server.ts `route`) the way a real
// server behaves (DESIGN facts, confirmed on Prefect 3.8.3): an accepted event that an automation expects
// makes it fire, and its events (`{namespace}.automation.triggered`, `.action.triggered`, `.action.executed`
// or `.failed`) become readable through POST /events/filter only a few looks later, 50 a page at most with a
// `next_page` to GET; GET /automations/{id} lists the actions; a run-deployment action's flow run moves
// SCHEDULED -> PENDING -> RUNNING -> its final state, a step each time POST /flow_runs/filter reads it; POST
// /logs/filter gives its logs newest first. Request bodies are judged against Prefect's schemas and refused with 422 as the server would.
import { randomUUID } from 'node:crypto';
import type { RecordedRequest, Reply } from './prefect-server.ts';
import { schemaErrors } from './prefect-automation.ts';

export interface StubRun {
  id: string;
  name: string;
  deployment: { id: string; name: string };
  /** The states after SCHEDULED, one more each time the run is read; default PENDING, RUNNING, COMPLETED. */
  states?: [type: string, name: string, message?: string][];
  logs?: { level: number; message: string }[];
}

export interface StubAction {
  type: string;
  /** The action fails with this reason. */
  fails?: string;
  /** A run-deployment action's flow run. */
  run?: StubRun;
}

export interface StubAutomation {
  id: string;
  name: string;
  /** The event names it fires on. */
  expect: string[];
  actions: StubAction[];
  /** How many looks (POST /events/filter) pass before its events are readable; default 1. */
  delay?: number;
}

export interface AutomationWorld {
  /** Answers Prefect's read API; give it to startPrefectStub's `route`. */
  route: (request: RecordedRequest) => Reply | undefined;
  /** Answers served before the world's own, per `METHOD /path-prefix` (e.g. a 429 for GET /api/flow_runs). */
  faults: Map<string, Reply[]>;
  /** The events the step emitted, as the world received them. */
  received: Record<string, unknown>[];
}

const json = (status: number, body: unknown): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

interface Stored {
  visibleAtLook: number;
  event: Record<string, unknown>;
}

/** `namespace`: `prefect` (a server) or `prefect-cloud` (Prefect Cloud's names for the same events). */
export function automationWorld(
  automations: StubAutomation[],
  namespace: 'prefect' | 'prefect-cloud' = 'prefect',
  /** The base the server believes it is at (behind a reverse proxy): `next_page` starts with it. */
  publicBase?: string,
): AutomationWorld {
  const received: Record<string, unknown>[] = [];
  const stored: Stored[] = [];
  const faults = new Map<string, Reply[]>();
  const pages = new Map<string, { events: Record<string, unknown>[]; limit: number }>();
  const reads = new Map<string, number>();
  const runs = new Map(
    automations.flatMap((a) =>
      a.actions.flatMap((action) => (action.run ? [[action.run.id, action.run]] : [])),
    ),
  ) as Map<string, StubRun>;
  let looks = 0;

  const fire = (automation: StubAutomation, ours: Record<string, unknown>) => {
    const visibleAtLook = looks + (automation.delay ?? 1);
    const resource = {
      'prefect.resource.id': `prefect.automation.${automation.id}`,
      'prefect.resource.name': automation.name,
    };
    const triggeringEvent = {
      'prefect.resource.id': `prefect.event.${String(ours.id)}`,
      'prefect.resource.role': 'triggering-event',
    };
    const triggeredId = randomUUID();
    const event = (name: string, related: Record<string, string>[], payload: Record<string, unknown>) => ({
      id: name.endsWith('.automation.triggered') ? triggeredId : randomUUID(),
      occurred: new Date().toISOString(),
      event: `${namespace}.${name}`,
      resource,
      related,
      payload,
      received: new Date().toISOString(),
    });
    const add = (e: Record<string, unknown>) => stored.push({ visibleAtLook, event: e });
    add(event('automation.triggered', [triggeringEvent], { triggering_labels: {}, triggering_event: ours }));
    automation.actions.forEach((action, index) => {
      const details = { action_index: index, action_type: action.type, invocation: randomUUID() };
      const own: Record<string, string>[] = [];
      if (action.run) {
        own.push({
          'prefect.resource.id': `prefect.deployment.${action.run.deployment.id}`,
          'prefect.resource.role': 'target',
        });
        if (!action.fails) {
          own.push({
            'prefect.resource.id': `prefect.flow-run.${action.run.id}`,
            'prefect.resource.role': 'flow-run',
            'prefect.resource.name': action.run.name,
          });
        }
      }
      const related = [
        ...own,
        {
          'prefect.resource.id': `prefect.event.${triggeredId}`,
          'prefect.resource.role': 'automation-triggered-event',
        },
        triggeringEvent,
      ];
      add(event('automation.action.triggered', related, details));
      add(
        action.fails
          ? event('automation.action.failed', related, { ...details, reason: action.fails })
          : event('automation.action.executed', related, { ...details, status_code: 201 }),
      );
    });
  };

  const page = (events: Record<string, unknown>[], limit: number, origin: string): Reply => {
    const rest = events.slice(limit);
    let next: string | null = null;
    if (rest.length > 0) {
      const token = randomUUID();
      pages.set(token, { events: rest, limit });
      next = `${publicBase ?? origin}/api/events/filter/next?page-token=${token}`;
    }
    return json(200, { events: events.slice(0, limit), total: events.length, next_page: next });
  };

  /** The run as the server answers it; each read moves it one state on. */
  const readRun = (run: StubRun) => {
    const states: [string, string, string?][] = [
      ['SCHEDULED', 'Scheduled'],
      ...(run.states ?? [
        ['PENDING', 'Pending'],
        ['RUNNING', 'Running'],
        ['COMPLETED', 'Completed'],
      ]),
    ];
    const read = reads.get(run.id) ?? 0;
    reads.set(run.id, read + 1);
    const [type, name, message] = states[Math.min(read, states.length - 1)] ?? ['SCHEDULED', 'Scheduled'];
    return {
      id: run.id,
      name: run.name,
      deployment_id: run.deployment.id,
      state: { type, name, message: message ?? null },
    };
  };

  const route = (request: RecordedRequest): Reply | undefined => {
    const url = new URL(request.url, 'http://stub');
    const origin = `http://${String(request.headers.host)}`;
    const key = [...faults.keys()].find((k) => `${request.method} ${url.pathname}`.startsWith(k));
    const fault = key ? faults.get(key)?.shift() : undefined;
    if (fault) return fault;
    const body = request.body ? (JSON.parse(request.body) as Record<string, unknown>) : {};
    if (request.method === 'POST' && url.pathname === '/api/events') {
      for (const ours of body as unknown as Record<string, unknown>[]) {
        received.push(ours);
        for (const automation of automations) {
          if (automation.expect.includes(String(ours.event))) fire(automation, ours);
        }
      }
      return { status: 204 };
    }
    if (request.method === 'POST' && url.pathname === '/api/events/filter') {
      const problems = schemaErrors('Body_read_events_events_filter_post', body, 'body');
      if (problems.length > 0)
        return json(422, { exception_message: 'Invalid request received.', exception_detail: problems });
      looks++;
      const filter = (body.filter ?? {}) as {
        event?: { name?: string[] };
        related?: { id?: string[]; role?: string[] };
      };
      const events = stored
        .filter((s) => s.visibleAtLook <= looks)
        .map((s) => s.event)
        .filter((e) => !filter.event?.name || filter.event.name.includes(String(e.event)))
        .filter((e) =>
          (e.related as Record<string, string>[]).some(
            (r) =>
              (!filter.related?.id || filter.related.id.includes(r['prefect.resource.id'] ?? '')) &&
              (!filter.related?.role || filter.related.role.includes(r['prefect.resource.role'] ?? '')),
          ),
        );
      return page(events, Number(body.limit ?? 50), origin);
    }
    if (request.method === 'GET' && url.pathname === '/api/events/filter/next') {
      const rest = pages.get(url.searchParams.get('page-token') ?? '');
      if (!rest) return json(404, { detail: 'Not Found' });
      return page(rest.events, rest.limit, origin);
    }
    const automation = /^\/api\/automations\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && automation) {
      const found = automations.find((a) => a.id === automation[1]);
      return found
        ? json(200, { id: found.id, name: found.name, actions: found.actions.map((a) => ({ type: a.type })) })
        : json(404, { detail: 'Automation not found' });
    }
    if (request.method === 'POST' && url.pathname === '/api/flow_runs/filter') {
      const problems = schemaErrors('Body_read_flow_runs_flow_runs_filter_post', body, 'body');
      const ids = ((body.flow_runs as { id?: { any_?: string[] } })?.id?.any_ ?? []) as string[];
      // Prefect refuses the whole request for one id that is not a UUID, and a limit over its default of 200.
      const notUuid = ids.findIndex((id) => !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(id));
      if (problems.length > 0 || notUuid >= 0 || Number(body.limit ?? 200) > 200)
        return json(422, { exception_message: 'Invalid request received.', exception_detail: problems });
      return json(
        200,
        ids.flatMap((id) => {
          const run = runs.get(id);
          return run ? [readRun(run)] : [];
        }),
      );
    }
    const deployment = /^\/api\/deployments\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && deployment) {
      const run = [...runs.values()].find((r) => r.deployment.id === deployment[1]);
      return run
        ? json(200, { id: run.deployment.id, name: run.deployment.name })
        : json(404, { detail: 'Deployment not found' });
    }
    if (request.method === 'POST' && url.pathname === '/api/logs/filter') {
      const problems = schemaErrors('Body_read_logs_logs_filter_post', body, 'body');
      if (problems.length > 0)
        return json(422, { exception_message: 'Invalid request received.', exception_detail: problems });
      const ids = ((body.logs as { flow_run_id?: { any_?: string[] } })?.flow_run_id?.any_ ?? []) as string[];
      const logs = ids.flatMap((id) =>
        (runs.get(id)?.logs ?? []).map((log, i) => ({
          id: randomUUID(),
          name: 'prefect.flow_runs',
          level: log.level,
          message: log.message,
          timestamp: new Date(Date.UTC(2026, 11, 5, 1, 0, i)).toISOString(),
          flow_run_id: id,
          task_run_id: null,
        })),
      );
      const sorted = body.sort === 'TIMESTAMP_DESC' ? logs.reverse() : logs;
      return json(200, sorted.slice(0, Number(body.limit ?? 200)));
    }
    return undefined;
  };
  return { route, faults, received };
}
