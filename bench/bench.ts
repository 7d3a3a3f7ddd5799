// Benchmark: what does the action cost, compared with the least a Node process can do? The cases are the
// rows of bench/cases.ts; today:
//
//   (a) floor        bench/floor.cjs: start Node, POST one event with node:http, exit
//   (b) action       node dist/index.js in a GitHub runner's step environment (tools/runner.ts), one event
//   (c) dry run      the same with dry-run: module load and event building, no request
//   (d) post step    node dist/post.js emitting the job-end event
//   (e) YAML payload (b) with a YAML payload: the YAML chunk loaded
//   (f) batch floor  bench/floor-batch.cjs: read a 1000-line JSON Lines file, POST the same bytes as (g)
//   (g) events-file  node dist/index.js sending the same file's 1000 events
//   (h) batch floor  (f) with 100,000 lines, in bodies under 5 MiB
//   (i) events-file  (g) with the same 100,000 lines
//
// The floors are CommonJS scripts (bench/floor.cjs says why): what a user would write by hand to do the
// same work, and the cheapest way Node 24 loads node:http.
//
// All run against a server in this process, interleaved (a b c ... a b c ...) after a warm-up, so the noise
// of a shared machine hits them alike; the figures that matter are the ratios to the floors (b/a, g/f ...).
// The goals are on wall time; the CPU time each child reports is shown too, as it is less shaken by the
// other processes of a busy machine.
// Every run must deliver exactly its case's events before it exits, counted by the server.
//
// Usage: node bench/bench.ts [--runs N] [--warmup N] [--entry PATH] [--only KEYS] [--json]
//   --only b,c   runs only those cases (and their floors)
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createSandbox, DIST_ENTRY } from '../tools/runner.ts';
import { CASES, DIST_GOAL_BYTES, type BenchCase, type BenchContext } from './cases.ts';
import { runChild, tails, type ChildResult } from './child.ts';
import { caseStats, goalsOf, printTable, ratiosOf, sizeOf } from './report.ts';
import { startEventsServer } from './server.ts';

const BENCH_DIR = import.meta.dirname;
const ROOT = dirname(BENCH_DIR);

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    entry: { type: 'string', default: DIST_ENTRY },
    only: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const runs = count(opts.runs, '--runs', 1);
const warmup = count(opts.warmup, '--warmup', 0);
const entry = resolve(opts.entry);
const cases = selectCases(opts.only);
if (!existsSync(entry)) {
  fail(`${relative(process.cwd(), entry)} not found (build it with \`npm run bundle\`)`);
}
// With --json the machine-readable result owns stdout and the table goes to stderr.
const print = opts.json ? console.error : console.log;
// The children run on this same binary; the action targets node24, so a figure from another Node misleads.
if (Number(process.versions.node.split('.')[0]) < 24) {
  console.error(`bench: warning: running on Node ${process.version}; use Node 24 (npm run bench)`);
}

// Compared at the end: figures from a bundle rebuilt halfway through the runs would mix two builds.
const entryMtime = statSync(entry).mtimeMs;
const server = await startEventsServer();
const tmp = mkdtempSync(join(tmpdir(), 'emit-prefect-event-bench-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));
const preload = join(BENCH_DIR, 'usage.cjs');
const bench: BenchContext = {
  apiUrl: server.apiUrl,
  entry,
  sandbox: createSandbox({ root: join(tmp, 'runner') }),
  scripts: { floor: join(BENCH_DIR, 'floor.cjs'), floorBatch: join(BENCH_DIR, 'floor-batch.cjs') },
};
const samples = new Map<string, ChildResult[]>(cases.map((c) => [c.key, []]));
// How busy the machine was, for whoever reads the figures: the 1-minute load average before and after.
const loadBefore = loadavg()[0] ?? NaN;

const rounds = warmup + runs;
/** The rounds case `c` runs in: all of them, or the warm-up and its first maxRuns. */
const roundsOf = (c: BenchCase) => warmup + Math.min(runs, c.maxRuns ?? runs);
for (let round = 0; round < rounds; round++) {
  if (process.stderr.isTTY) {
    process.stderr.write(`\rround ${round + 1}/${rounds}${round < warmup ? ' (warm-up)' : ''}  `);
  }
  for (const c of cases) {
    if (round >= roundsOf(c)) continue;
    bench.sandbox.reset(); // every step gets empty GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, ... files
    const command = await c.child(bench);
    const before = new Map(server.counts);
    const result = await runChild(command, preload, bench.sandbox.workspace, join(tmp, `usage-${c.key}`));
    const why = result.ok ? (deliveryProblem(c, before) ?? c.verify?.(bench)) : undefined;
    if (why) Object.assign(result, { ok: false, why });
    if (!result.ok) {
      await server.close();
      fail(`(${c.key}) ${c.label} failed in round ${round + 1}: ${result.why}\n${tails(result)}`);
    }
    if (round >= warmup) samples.get(c.key)?.push(result);
  }
}
if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
await server.close();
checkServer();
if (statSync(entry).mtimeMs !== entryMtime) {
  fail(`${relative(process.cwd(), entry)} changed during the bench (rebuilt?); run it again`);
}

const dist = sizeOf(dirname(entry));
const entryBytes = statSync(entry).size;
const stats = Object.fromEntries(cases.map((c) => [c.key, caseStats(c, samples.get(c.key) ?? [])]));
const ratios = ratiosOf(cases, stats);
const goals = goalsOf(cases, ratios, dist.bytes, DIST_GOAL_BYTES);
const here = (path: string) => relative(process.cwd(), path) || '.';
const load = { before: loadBefore, after: loadavg()[0] ?? NaN, cores: availableParallelism() };
printTable({
  print,
  runs,
  warmup,
  load,
  entry: here(entry),
  distDir: here(dirname(entry)),
  dist,
  entryBytes,
  cases,
  stats,
  ratios,
  goals,
});
if (opts.json) {
  const ofCase = (c: BenchCase) => ({
    ...stats[c.key],
    samples: (samples.get(c.key) ?? []).map(({ wallMs, cpuMs, peakKiB }) => ({ wallMs, cpuMs, peakKiB })),
  });
  const json = {
    node: process.version,
    runs,
    warmup,
    load,
    entry: relative(ROOT, entry),
    cases: Object.fromEntries(cases.map((c) => [c.key, ofCase(c)])),
    ratios,
    dist: { dir: relative(ROOT, dirname(entry)) || '.', ...dist, entryBytes },
    goals,
  };
  console.log(JSON.stringify(json, null, 2));
}

/** Every run, warm-ups included, must have delivered exactly its case's events, and nothing else came. */
function checkServer(): void {
  const expected = new Map<string, number>();
  for (const c of cases) {
    for (const [name, perRun] of Object.entries(c.sends)) {
      expected.set(name, (expected.get(name) ?? 0) + perRun * roundsOf(c));
    }
  }
  const errors = [...server.problems];
  for (const [name, want] of expected) {
    const got = server.counts.get(name) ?? 0;
    if (got !== want) errors.push(`expected ${want} "${name}" events, the server received ${got}`);
  }
  for (const [name, got] of server.counts) {
    if (!expected.has(name)) errors.push(`unexpected event ${JSON.stringify(name)} received ${got} times`);
  }
  if (errors.length === 0) return;
  // Show what the action said in its last runs: usually the reason it did not send, or sent twice.
  const lastRuns = cases
    .filter((c) => c.floor !== undefined)
    .map((c) => `last (${c.key}) run:\n${tails(samples.get(c.key)?.at(-1))}`);
  fail(`${errors.join('\n')}\n\n${lastRuns.join('\n\n')}`);
}

/**
 * Whether this run delivered exactly its case's events: the server counts a request before it answers, and
 * every child waits for the answer, so the counts are complete when the child has exited.
 */
function deliveryProblem(c: BenchCase, before: Map<string, number>): string | undefined {
  const names = new Set([...server.counts.keys(), ...Object.keys(c.sends)]);
  for (const name of names) {
    const got = (server.counts.get(name) ?? 0) - (before.get(name) ?? 0);
    const want = c.sends[name] ?? 0;
    if (got !== want) return `the server received ${got} "${name}" events from this run, expected ${want}`;
  }
  return undefined;
}

/** The cases --only names, with the floors they are measured against, in the table's order. */
function selectCases(only: string | undefined): BenchCase[] {
  if (only === undefined) return CASES;
  const keys = new Set(only.split(',').map((key) => key.trim()));
  for (const key of keys) {
    if (!CASES.some((c) => c.key === key)) {
      fail(`--only: no case "${key}"; the cases are ${CASES.map((c) => `${c.key} (${c.label})`).join(', ')}`);
    }
  }
  for (const c of CASES) if (keys.has(c.key) && c.floor !== undefined) keys.add(c.floor);
  return CASES.filter((c) => keys.has(c.key));
}

function count(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) fail(`${flag} must be an integer >= ${min}, got ${text}`);
  return value;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}
