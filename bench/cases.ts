// What the bench measures: one row a case. A case names the child to run (script, arguments and
// environment, built for each run in a freshly reset runner sandbox), the events the server must receive
// from each run, and, unless it is a floor, the floor it is compared with and the ratios it must stay under.
// To add a case, add a row; a case that needs files writes them into `bench.sandbox.workspace` in `child`
// (the sandbox's reset empties only the command files, so a large file is written once), and a case with a
// floor of its own adds that floor as a row too. The goals are those of the README's Performance table.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { START_KEY } from '../src/steps/state.ts';
import type { RunnerSandbox, Variables } from '../tools/runner.ts';

export interface BenchContext {
  /** The events server's API URL, e.g. http://127.0.0.1:PORT/api */
  apiUrl: string;
  /** The main step's script: dist/index.js, or --entry. */
  entry: string;
  /** The runner's environment and files; reset (fresh command files) before every run. */
  sandbox: RunnerSandbox;
  /** The floors: bench/floor.cjs and bench/floor-batch.cjs. */
  scripts: { floor: string; floorBatch: string };
}

export interface ChildCommand {
  /** What follows `node --require <usage preload>`: the script and its arguments. */
  args: string[];
  env: Variables;
}

export interface BenchCase {
  /** One letter, used in the table and the ratios (`b/a`). */
  key: string;
  label: string;
  /** The key of the case this one is measured against; a floor has none. */
  floor?: string;
  /** The highest medians allowed, as ratios to the floor's. */
  goals?: { wall?: number; peak?: number };
  /** At most this many measured runs, whatever --runs says: for a slow case (its floor says the same). */
  maxRuns?: number;
  /** The events one run must deliver to the server, by event name (none for a dry run). */
  sends: Record<string, number>;
  child(bench: BenchContext): ChildCommand | Promise<ChildCommand>;
  /** After a run that exited 0: why it still does not count (say, no outputs), or undefined. */
  verify?(bench: BenchContext): string | undefined;
}

/** The event bench/floor.cjs sends. */
export const FLOOR_EVENT = 'bench.floor.emitted';
const ACTION_EVENT = 'bench.event.emitted';
const JOB_END_EVENT = 'bench.job.success';
const BATCH_EVENT = 'bench.batch.item';
const BATCH_SIZE = 1000;
const LARGE_BATCH_SIZE = 100_000;
// A run of the large batch takes seconds: fewer runs keep `npm run bench` to a few minutes.
const LARGE_BATCH_RUNS = 10;
export const DIST_GOAL_BYTES = 500_000;

// A payload as a workflow author would write it in YAML: ten lines, nested maps and lists, numbers, a date.
const YAML_PAYLOAD = `model: churn
version: 3
trained: 2025-01-15
metrics:
  accuracy: 0.931
  auc: 0.884
tags: [nightly, production]
owner:
  team: data-science
  oncall: [alice, bob]
`;

/**
 * The JSON Lines file of `size` items, in the workspace the action and the floor read it from (their working
 * directory); returns its name. Written once: the sandbox's reset leaves the workspace alone.
 */
function batchFile(bench: BenchContext, size: number): string {
  const name = `events-${size}.jsonl`;
  const path = join(bench.sandbox.workspace, name);
  if (existsSync(path)) return name;
  const lines = Array.from({ length: size }, (_, n) =>
    JSON.stringify({
      event: BATCH_EVENT,
      resource: { 'prefect.resource.id': `bench.item.${n}` },
      payload: { n },
    }),
  );
  writeFileSync(path, `${lines.join('\n')}\n`);
  return name;
}

/** The floor sending a batch file's events, and the action sending the same file (`events-file`). */
function batchCases(
  floorKey: string,
  key: string,
  size: number,
  goals: BenchCase['goals'],
  maxRuns?: number,
) {
  const count = size.toLocaleString('en');
  const runs = maxRuns === undefined ? {} : { maxRuns };
  const floor: BenchCase = {
    key: floorKey,
    label: `floor: ${count} events`,
    ...runs,
    sends: { [BATCH_EVENT]: size },
    child: (bench) => ({
      args: [bench.scripts.floorBatch, `${bench.apiUrl}/events`, batchFile(bench, size)],
      env: bench.sandbox.env(),
    }),
  };
  const action: BenchCase = {
    key,
    label: `events-file: ${count}`,
    floor: floorKey,
    goals,
    ...runs,
    sends: { [BATCH_EVENT]: size },
    child: (bench) => ({
      args: [bench.entry],
      env: bench.sandbox.env({
        inputs: { 'events-file': batchFile(bench, size), 'api-url': bench.apiUrl, summary: 'true' },
      }),
    }),
    verify: setEventId,
  };
  return [floor, action];
}

const oneEvent = (bench: BenchContext): Variables => ({
  event: ACTION_EVENT,
  'api-url': bench.apiUrl,
  payload: '{"bench":true}',
  summary: 'true',
});

// A dry run sends nothing for the server to count, so prove from the step's outputs that the action ran: an
// entry that does nothing (say, caught half-written by a rebuild) would otherwise pass as very fast.
const setEventId = (bench: BenchContext) =>
  bench.sandbox.read().outputs['event-id'] ? undefined : 'exited 0 without setting the event-id output';

export const CASES: BenchCase[] = [
  {
    key: 'a',
    label: 'floor',
    sends: { [FLOOR_EVENT]: 1 },
    // The step's environment too, so that the floor and the action differ only in the script.
    child: (bench) => ({ args: [bench.scripts.floor, `${bench.apiUrl}/events`], env: bench.sandbox.env() }),
  },
  {
    key: 'b',
    label: 'action',
    floor: 'a',
    goals: { wall: 1.1, peak: 1.2 },
    sends: { [ACTION_EVENT]: 1 },
    child: (bench) => ({ args: [bench.entry], env: bench.sandbox.env({ inputs: oneEvent(bench) }) }),
    verify: setEventId,
  },
  {
    key: 'c',
    label: 'action dry-run',
    floor: 'a',
    sends: {},
    child: (bench) => ({
      args: [bench.entry],
      env: bench.sandbox.env({ inputs: { ...oneEvent(bench), 'dry-run': 'true' } }),
    }),
    verify: setEventId,
  },
  {
    key: 'd',
    label: 'post step (job end)',
    floor: 'a',
    goals: { wall: 1.1, peak: 1.2 },
    sends: { [JOB_END_EVENT]: 1 },
    // The post step as the runner starts it: its inputs evaluated again, the main step's state as STATE_*.
    child: (bench) => ({
      args: [join(dirname(bench.entry), 'post.js')],
      env: bench.sandbox.env({
        inputs: { ...oneEvent(bench), 'job-end-event': 'bench.job.{status}' },
        state: {
          [START_KEY]: JSON.stringify({
            id: '0192f7a2-5c1e-7d3a-9b8e-2f4c6a1d3e5f',
            occurred: new Date().toISOString(),
            resource: { 'prefect.resource.id': 'bench.job' },
            related: [],
            emitted: true,
          }),
        },
      }),
    }),
  },
  {
    key: 'e',
    label: 'YAML payload',
    floor: 'a',
    goals: { wall: 1.25, peak: 1.2 },
    sends: { [ACTION_EVENT]: 1 },
    // Not JSON, so the action loads its YAML chunk (dist/chunks/yaml.js) and parses the inputs again.
    child: (bench) => ({
      args: [bench.entry],
      env: bench.sandbox.env({ inputs: { ...oneEvent(bench), payload: YAML_PAYLOAD } }),
    }),
    verify: setEventId,
  },
  ...batchCases('f', 'g', BATCH_SIZE, { wall: 1.25, peak: 1.2 }),
  ...batchCases('h', 'i', LARGE_BATCH_SIZE, { wall: 1.25, peak: 2 }, LARGE_BATCH_RUNS),
];
