// The watch against the Prefect stub playing automations and flow runs over real HTTP, on a virtual clock:
// every pause passes at once, so minutes of waiting take milliseconds and no assertion depends on real time.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parseApiUrl } from '../../src/prefect/api.ts';
import { createReader } from '../../src/prefect/reads.ts';
import { intervalMs, watch, type WatchOptions } from '../../src/prefect/watch.ts';
import { automationWorld, type StubAutomation, type StubRun } from '../support/prefect-automations.ts';
import { startPrefectStub, type PrefectStub } from '../support/prefect-server.ts';

const EVENT = { id: '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f', event: 'acme.model.deployed' };
const OTHER = { id: '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e60', event: 'acme.model.deployed' };

function runOf(n: number, states?: StubRun['states'], logs?: StubRun['logs']): StubRun {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    name: `run-${n}`,
    deployment: { id: `00000000-0000-4000-9000-00000000000${n}`, name: `dep-${n}` },
    ...(states && { states }),
    ...(logs && { logs }),
  };
}

function automation(id: string, actions: StubAutomation['actions'], delay = 1): StubAutomation {
  return { id, name: `automation ${id}`, expect: ['acme.model.deployed'], actions, delay };
}

/** A stub with the world, the events already emitted to it, and a virtual clock. */
async function setUp(
  automations: StubAutomation[],
  options: { csrf?: boolean; namespace?: 'prefect-cloud'; publicBase?: string } = {},
) {
  const world = automationWorld(automations, options.namespace, options.publicBase);
  const stub = await startPrefectStub([], undefined, {
    route: world.route,
    ...(options.csrf && { csrf: true }),
  });
  let time = 1_800_000_000_000;
  const sleeps: { at: number; ms: number; requests: number }[] = [];
  const lines: string[] = [];
  const api = parseApiUrl(stub.apiUrl);
  const run = async (events: { id: string; event: string }[], rest: Partial<WatchOptions> = {}) => {
    world.route({ method: 'POST', url: '/api/events', headers: {}, body: JSON.stringify(events), at: 0 });
    return watch({
      reader: createReader({ api, retries: 2, timeoutMs: 5000, backoffMs: 1 }),
      events,
      follow: 'flow-runs',
      timeoutMs: 600_000,
      log: (line) => lines.push(line),
      now: () => time,
      sleep: async (ms) => {
        sleeps.push({ at: time, ms, requests: stub.requests.length });
        time += ms;
      },
      ...rest,
    });
  };
  return { stub, world, run, lines, sleeps, paths: () => stub.requests.map((r) => `${r.method} ${r.url}`) };
}

describe('watch', () => {
  const stubs: PrefectStub[] = [];
  const make = async (...args: Parameters<typeof setUp>) => {
    const made = await setUp(...args);
    stubs.push(made.stub);
    return made;
  };
  after(() => Promise.all(stubs.map((stub) => stub.close())));

  test('follows the flow run an automation started to COMPLETED, logging each state once', async () => {
    const { run, lines, stub } = await make([automation('a1', [{ type: 'run-deployment', run: runOf(1) }])]);
    const report = await run([EVENT]);
    assert.deepEqual(report.end, { kind: 'done' });
    assert.equal(report.firings.length, 1);
    assert.equal(report.firings[0]?.actionCount, 1);
    assert.deepEqual(
      report.runs.map((r) => [r.name, r.stateType, r.deploymentName]),
      [['run-1', 'COMPLETED', 'dep-1']],
    );
    assert.deepEqual(
      lines.map((line) => line.replace(/, \d+ s\.$/, '.')),
      [
        `Automation "automation a1" fired on acme.model.deployed (${EVENT.id}).`,
        'Flow run "run-1" (deployment dep-1): SCHEDULED.',
        'Flow run "run-1" (deployment dep-1): PENDING.',
        'Flow run "run-1" (deployment dep-1): RUNNING.',
        'Flow run "run-1" (deployment dep-1): COMPLETED.',
      ],
    );
    const filter = JSON.parse(stub.requests.find((r) => r.url === '/api/events/filter')?.body ?? '{}');
    assert.deepEqual(filter.filter.related, {
      id: [`prefect.event.${EVENT.id}`],
      role: ['triggering-event'],
    });
    assert.deepEqual(filter.filter.event.name, [
      'prefect.automation.triggered',
      'prefect.automation.action.triggered',
      'prefect.automation.action.executed',
      'prefect.automation.action.failed',
      'prefect-cloud.automation.triggered',
      'prefect-cloud.automation.action.triggered',
      'prefect-cloud.automation.action.executed',
      'prefect-cloud.automation.action.failed',
    ]);
    assert.equal(filter.limit, 50);
  });

  test('keeps looking for the settling window, so a second automation seen later is awaited too', async () => {
    const { run, paths } = await make([
      automation('a1', [{ type: 'run-deployment', run: runOf(1) }], 1),
      automation('a2', [{ type: 'run-deployment', run: runOf(2) }], 3),
    ]);
    const report = await run([EVENT]);
    assert.deepEqual(report.end, { kind: 'done' });
    assert.deepEqual(report.firings.map((f) => f.automationId).sort(), ['a1', 'a2']);
    assert.deepEqual(
      report.runs.map((r) => r.stateType),
      ['COMPLETED', 'COMPLETED'],
    );
    assert.ok(paths().includes(`GET /api/automations/a2`));
  });

  test('the settling window runs from the latest automation seen, so firings that trickle in are all awaited', async () => {
    // a3 comes more than 10 s after a1 but less than 10 s after a2, as a batch's firings stored over batches do.
    const later = (id: string, expect: string, delay: number): StubAutomation => ({
      ...automation(id, [{ type: 'send-notification' }], delay),
      expect: [expect],
    });
    const { run, sleeps } = await make([
      later('a1', 'acme.model.deployed', 1),
      later('a2', 'acme.model.tested', 7),
      later('a3', 'acme.model.promoted', 13),
    ]);
    const events = [
      EVENT,
      { id: OTHER.id, event: 'acme.model.tested' },
      { id: '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e61', event: 'acme.model.promoted' },
    ];
    const report = await run(events, { follow: 'automations', settleMs: 10_000 });
    assert.deepEqual(report.end, { kind: 'done' });
    assert.deepEqual(
      report.firings.map((f) => f.automationId),
      ['a1', 'a2', 'a3'],
    );
    const waited = sleeps.reduce((sum, s) => sum + s.ms, 0);
    assert.ok(waited > 11_000, String(waited)); // beyond 10 s after a1: the old window's end
  });

  test('an automation that fires only after the settling window is not awaited', async () => {
    const { run } = await make([
      automation('a1', [{ type: 'send-notification' }], 1),
      automation('a2', [{ type: 'send-notification' }], 30),
    ]);
    const report = await run([EVENT], { follow: 'automations', settleMs: 10_000 });
    assert.deepEqual(report.end, { kind: 'done' });
    assert.deepEqual(
      report.firings.map((f) => f.automationId),
      ['a1'],
    );
  });

  test('a failed action ends the wait with its reason', async () => {
    const { run } = await make([
      automation('a1', [{ type: 'run-deployment', fails: 'Deployment 1234 not found', run: runOf(1) }]),
    ]);
    const report = await run([EVENT]);
    assert.equal(report.end.kind, 'action failed');
    assert.equal(
      report.end.kind === 'action failed' && report.end.action.reason,
      'Deployment 1234 not found',
    );
  });

  test('a run that ends FAILED ends the wait with its last 50 log lines, oldest first', async () => {
    const logs = Array.from({ length: 60 }, (_, i) => ({ level: i === 59 ? 40 : 20, message: `line ${i}` }));
    const failed = runOf(
      1,
      [
        ['RUNNING', 'Running'],
        ['FAILED', 'Failed', 'Flow run encountered an exception: boom'],
      ],
      logs,
    );
    const { run, stub } = await make([automation('a1', [{ type: 'run-deployment', run: failed }])]);
    const report = await run([EVENT]);
    assert.equal(report.end.kind, 'run failed');
    if (report.end.kind !== 'run failed') return;
    assert.equal(report.end.run.stateMessage, 'Flow run encountered an exception: boom');
    const lines = report.end.logs ?? [];
    assert.equal(lines.length, 50);
    assert.deepEqual(lines[0]?.message, 'line 10');
    assert.deepEqual([lines[49]?.level, lines[49]?.message], ['ERROR', 'line 59']);
    const body = JSON.parse(stub.requests.find((r) => r.url === '/api/logs/filter')?.body ?? '{}');
    assert.deepEqual(body, {
      logs: { flow_run_id: { any_: [failed.id] } },
      sort: 'TIMESTAMP_DESC',
      limit: 50,
    });
  });

  for (const [refusal, why] of [
    [{ status: 403, body: '{"detail":"Forbidden"}' }, 'refused'],
    [{ status: 503 }, 'unavailable after its retries'],
  ] as const) {
    test(`a run that ended FAILED is the answer even when its logs are ${why}`, async () => {
      const failed = runOf(1, [['FAILED', 'Failed']]);
      const { run, world } = await make([automation('a1', [{ type: 'run-deployment', run: failed }])]);
      world.faults.set('POST /api/logs/filter', [refusal, refusal, refusal]);
      const report = await run([EVENT]);
      assert.deepEqual(
        [report.end.kind, report.end.kind === 'run failed' && report.end.logs],
        ['run failed', undefined],
      );
    });
  }

  test('no automation within the timeout: "no automation", after looking about once a second, then less', async () => {
    const { run, sleeps } = await make([]);
    const report = await run([EVENT], { timeoutMs: 120_000 });
    assert.deepEqual(report.end, { kind: 'no automation' });
    assert.deepEqual(
      sleeps.slice(0, 3).map((s) => s.ms),
      [1000, 1000, 1000],
    );
    assert.equal(Math.max(...sleeps.map((s) => s.ms)), 10_000);
  });

  test('timeout while a run is still RUNNING: at most about a request a second, ten seconds apart later', async () => {
    const { run, sleeps, stub } = await make([
      automation('a1', [{ type: 'run-deployment', run: runOf(1, [['RUNNING', 'Running']]) }]),
    ]);
    const report = await run([EVENT], { timeoutMs: 30 * 60_000 });
    assert.deepEqual(report.end, { kind: 'timeout' });
    assert.deepEqual(
      report.runs.map((r) => r.stateType),
      ['RUNNING'],
    );
    // Requests in each virtual minute: never more than about one a second.
    const start = sleeps[0]?.at ?? 0;
    const perMinute = new Map<number, number>();
    let before = 0;
    for (const sleep of sleeps) {
      const minute = Math.floor((sleep.at - start) / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + sleep.requests - before);
      before = sleep.requests;
    }
    assert.ok(Math.max(...perMinute.values()) <= 62, JSON.stringify([...perMinute]));
    assert.equal(perMinute.get(20), 6); // one look every 10 s once the wait is long
    assert.ok(stub.requests.length < 300);
  });

  test('a batch: every event of the step, its runs and pages of 50 events read through next_page', async () => {
    const batch = Array.from({ length: 12 }, (_, i) => ({
      id: `0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e${String(i).padStart(2, '0')}`,
      event: 'acme.model.deployed',
    }));
    // 12 events x (1 triggered + 2 actions x 2 events) = 60 automation events: two pages.
    const { run, stub } = await make([
      automation('a1', [{ type: 'send-notification' }, { type: 'send-notification' }]),
    ]);
    const report = await run(batch, { follow: 'automations' });
    assert.deepEqual(report.end, { kind: 'done' });
    assert.equal(report.firings.length, 12);
    assert.ok(stub.requests.some((r) => r.method === 'GET' && r.url.startsWith('/api/events/filter/next?')));
    // The automation fired twelve times and is read once.
    assert.equal(stub.requests.filter((r) => r.url === '/api/automations/a1').length, 1);
    const filter = JSON.parse(stub.requests.find((r) => r.url === '/api/events/filter')?.body ?? '{}');
    assert.equal(filter.filter.related.id.length, 12);
  });

  test("next_page is asked of the step's API, whatever address the server behind a proxy put in it", async () => {
    const batch = Array.from({ length: 12 }, (_, i) => ({
      id: `0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e${String(i).padStart(2, '0')}`,
      event: 'acme.model.deployed',
    }));
    // A server behind a TLS-terminating proxy under a path prefix sees itself at another scheme, host and path.
    const { run, stub } = await make(
      [automation('a1', [{ type: 'send-notification' }, { type: 'send-notification' }])],
      { publicBase: 'https://prefect.example.com/internal' },
    );
    const report = await run(batch, { follow: 'automations' });
    assert.deepEqual(report.end, { kind: 'done' });
    assert.equal(report.firings.length, 12);
    const next = stub.requests.filter((r) => r.method === 'GET' && r.url.includes('/events/filter/next'));
    assert.ok(next.length > 0);
    assert.ok(
      next.every((r) => /^\/api\/events\/filter\/next\?page-token=[0-9a-f-]{36}$/.test(r.url)),
      next[0]?.url,
    );
  });

  test('many runs are read together, one POST /flow_runs/filter a look, not a request each', async () => {
    const automations = [1, 2, 3, 4, 5].map((n) =>
      automation(`a${n}`, [{ type: 'run-deployment', run: runOf(n) }]),
    );
    const { run, stub } = await make(automations);
    const report = await run([EVENT]);
    assert.deepEqual(report.end, { kind: 'done' });
    assert.equal(report.runs.length, 5);
    assert.ok(!stub.requests.some((r) => r.url.startsWith('/api/flow_runs/0')));
    const reads = stub.requests
      .filter((r) => r.url === '/api/flow_runs/filter')
      .map((r) => JSON.parse(r.body));
    assert.deepEqual(reads[0], {
      flow_runs: { id: { any_: [1, 2, 3, 4, 5].map((n) => runOf(n).id) } },
      limit: 200,
    });
    // SCHEDULED, PENDING, RUNNING, COMPLETED: four looks at the five runs.
    assert.equal(reads.length, 4);
  });

  test('a flow-run id that is not a UUID (a forged event) is not followed, so the runs can still be read', async () => {
    const forged = { ...runOf(1), id: 'not-a-uuid' };
    const { run, stub } = await make([
      automation('a1', [{ type: 'run-deployment', run: forged }]),
      automation('a2', [{ type: 'run-deployment', run: runOf(2) }]),
    ]);
    const report = await run([EVENT]);
    assert.deepEqual(report.end, { kind: 'done' });
    assert.deepEqual(
      report.runs.map((r) => r.id),
      [runOf(2).id],
    );
    assert.ok(stub.requests.every((r) => !r.body.includes('not-a-uuid')));
  });

  test('a group of 200 events with 11 automation events each (2,200, 44 pages) is read whole', async () => {
    const batch = Array.from({ length: 200 }, (_, i) => ({
      id: `0192f7a2-5c1e-7d3a-9b8e-${String(i).padStart(12, '0')}`,
      event: 'acme.model.deployed',
    }));
    const five = Array.from({ length: 5 }, () => ({ type: 'send-notification' }));
    const { run } = await make([automation('a1', five)]);
    const report = await run(batch, { follow: 'automations' });
    assert.deepEqual(report.end, { kind: 'done' });
    assert.equal(report.firings.length, 200);
    assert.ok(
      report.firings.every((f) => f.actions.length === 5 && f.actions.every((a) => a.outcome === 'executed')),
    );
  });

  test('a batch of 450 events is asked about in groups of 200 ids', async () => {
    const batch = Array.from({ length: 450 }, (_, i) => ({
      id: `0192f7a2-5c1e-7d3a-9b8e-${String(i).padStart(12, '0')}`,
      event: 'acme.model.other',
    }));
    const { run, stub } = await make([]);
    const report = await run(batch, { follow: 'automations', timeoutMs: 1000 });
    assert.deepEqual(report.end, { kind: 'no automation' });
    const sizes = stub.requests
      .filter((r) => r.url === '/api/events/filter')
      .map((r) => JSON.parse(r.body).filter.related.id.length);
    assert.deepEqual(sizes.slice(0, 3), [200, 200, 50]);
  });

  test("reads Prefect Cloud's prefect-cloud.automation.* events as the server's", async () => {
    const { run } = await make([automation('a1', [{ type: 'run-deployment', run: runOf(1) }])], {
      namespace: 'prefect-cloud',
    });
    const report = await run([EVENT, OTHER]);
    assert.deepEqual(report.end, { kind: 'done' });
    assert.equal(report.firings.length, 2);
  });

  test('a 429 with Retry-After is retried; a CSRF server gets its token once for every POST', async () => {
    const { run, world, paths } = await make(
      [automation('a1', [{ type: 'run-deployment', run: runOf(1) }])],
      {
        csrf: true,
      },
    );
    world.faults.set('POST /api/flow_runs/filter', [{ status: 429, headers: { 'retry-after': '0' } }]);
    const report = await run([EVENT]);
    assert.deepEqual(report.end, { kind: 'done' });
    assert.equal(paths().filter((p) => p.startsWith('GET /api/csrf-token')).length, 1);
  });

  test('a read that fails for a while (503 after every retry) is tried again later, and the wait goes on', async () => {
    const { run, world, lines, sleeps } = await make([
      automation('a1', [{ type: 'run-deployment', run: runOf(1) }]),
    ]);
    // Three attempts (retries: 2) of the first look and of a later run read are refused.
    const unavailable = { status: 503, body: '{"detail":"restarting"}' };
    world.faults.set('POST /api/events/filter', [unavailable, unavailable, unavailable]);
    world.faults.set('POST /api/flow_runs/filter', [unavailable, unavailable, unavailable]);
    const report = await run([EVENT]);
    assert.deepEqual(report.end, { kind: 'done' });
    assert.deepEqual(
      report.runs.map((r) => r.stateType),
      ['COMPLETED'],
    );
    const retried = lines.filter((line) => line.startsWith('Prefect could not be read ('));
    assert.equal(retried.length, 2, lines.join('\n'));
    assert.match(retried[0] ?? '', /POST http:\/\/127\.0\.0\.1:\d+\/api\/events\/filter answered 503/);
    // After a failed read, the next look comes at the slowest pace.
    assert.equal(sleeps[0]?.ms, 10_000);
  });

  test('a 429 asking for more than the pause between attempts: the next look comes after its Retry-After', async () => {
    const { run, world, sleeps } = await make([automation('a1', [{ type: 'send-notification' }])]);
    world.faults.set('POST /api/events/filter', [{ status: 429, headers: { 'retry-after': '45' } }]);
    const report = await run([EVENT], { follow: 'automations' });
    assert.deepEqual(report.end, { kind: 'done' });
    assert.equal(sleeps[0]?.ms, 45_000);
  });

  test('Prefect unreadable for the whole wait: its words at the end, not "no automation"', async () => {
    const { run, world } = await make([automation('a1', [{ type: 'send-notification' }])]);
    world.faults.set(
      'POST /api/events/filter',
      Array.from({ length: 100 }, () => ({ status: 502, body: 'Bad Gateway' })),
    );
    const report = await run([EVENT], { timeoutMs: 30_000 });
    assert.equal(report.end.kind, 'read failed');
    assert.match(
      report.end.kind === 'read failed' ? report.end.message : '',
      /^POST http:\/\/127\.0\.0\.1:\d+\/api\/events\/filter answered 502/,
    );
  });

  test("a read that fails for good ends the wait with the server's words", async () => {
    const { run, world } = await make([]);
    world.faults.set('POST /api/events/filter', [
      { status: 401, body: '{"exception_message":"Unauthorized"}' },
    ]);
    const report = await run([EVENT]);
    assert.equal(report.end.kind, 'read failed');
    assert.match(
      report.end.kind === 'read failed' ? report.end.message : '',
      /^POST http:\/\/127\.0\.0\.1:\d+\/api\/events\/filter answered 401 Unauthorized: Unauthorized \(1 attempt\)\. Check the credentials/,
    );
  });
});

test('the pace: a tenth of the wait so far, from 1 s to 10 s', () => {
  assert.deepEqual(
    [0, 5_000, 30_000, 100_000, 3_600_000].map(intervalMs),
    [1000, 1000, 3000, 10_000, 10_000],
  );
});
