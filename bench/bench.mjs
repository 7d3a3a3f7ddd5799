// Benchmark: what does emitting one event with the action cost, compared with the least a Node process can do?
//
//   (a) floor    node bench/floor.mjs: start Node, POST one event with node:http, exit
//   (b) action   node dist/index.js in a GitHub runner's step environment, emitting one event
//   (c) dry run  the same with dry-run: module load and event building, no request
//
// All three run against a server in this process, interleaved (a b c a b c ...) after a warm-up, so the
// noise of a shared machine hits them alike; the figures that matter are the ratios b/a and c/a.
//
// Usage: node bench/bench.mjs [--runs N] [--warmup N] [--entry PATH] [--json]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setTimeout, clearTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { baseEnv, runnerSandbox } from './runner-env.mjs';
import { startEventsServer } from './server.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const PRELOAD = pathToFileURL(join(BENCH_DIR, 'peak-rss.mjs')).href;
const FLOOR_EVENT = 'bench.floor.emitted'; // the name bench/floor.mjs sends
const ACTION_EVENT = 'bench.event.emitted';
const CHILD_TIMEOUT_MS = 60_000;
const GOALS = { wall: 1.25, peak: 1.2, distBytes: 500_000 };

const { values: opts } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '3' },
    entry: { type: 'string', default: join(ROOT, 'dist', 'index.js') },
    json: { type: 'boolean', default: false },
  },
});
const runs = count(opts.runs, '--runs', 1);
const warmup = count(opts.warmup, '--warmup', 0);
const entry = resolve(opts.entry);
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
const sandbox = runnerSandbox(join(tmp, 'runner'));
const inputs = { event: ACTION_EVENT, 'api-url': server.apiUrl, payload: '{"bench":true}', summary: 'true' };

const floorArgs = [join(BENCH_DIR, 'floor.mjs'), `${server.apiUrl}/events`];
const dryRun = { ...inputs, 'dry-run': 'true' };
const cases = [
  { key: 'a', label: 'floor', args: floorArgs, env: baseEnv() },
  { key: 'b', label: 'action', args: [entry], env: sandbox.env(inputs), action: true },
  { key: 'c', label: 'action dry-run', args: [entry], env: sandbox.env(dryRun), action: true },
];
for (const c of cases) c.samples = [];

const rounds = warmup + runs;
for (let round = 0; round < rounds; round++) {
  if (process.stderr.isTTY) {
    process.stderr.write(`\rround ${round + 1}/${rounds}${round < warmup ? ' (warm-up)' : ''}  `);
  }
  for (const c of cases) {
    sandbox.reset(); // every step gets empty GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, ... files
    const result = await runChild(c, join(tmp, `peak-rss-${c.key}`));
    // A dry run sends nothing for the server to count, so prove from the step's outputs that the action ran:
    // an entry that does nothing (say, caught half-written by a rebuild) would otherwise pass as very fast.
    if (result.ok && c.action && !/^event-id(<<|=)/m.test(sandbox.outputs())) {
      Object.assign(result, { ok: false, why: 'exited 0 without setting the event-id output' });
    }
    if (!result.ok) {
      await server.close();
      fail(`(${c.key}) ${c.label} failed in round ${round + 1}: ${result.why}\n${tails(result)}`);
    }
    if (round >= warmup) c.samples.push(result);
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
const stats = Object.fromEntries(
  cases.map((c) => [
    c.key,
    {
      label: c.label,
      wallMs: summary(c.samples.map((s) => s.wallMs)),
      peakMiB: summary(c.samples.map((s) => s.peakKiB / 1024)),
    },
  ]),
);
const ratio = (key, metric) => stats[key][metric].median / stats.a[metric].median;
const ratios = {
  wall: { ba: ratio('b', 'wallMs'), ca: ratio('c', 'wallMs') },
  peak: { ba: ratio('b', 'peakMiB'), ca: ratio('c', 'peakMiB') },
};
const goals = [
  { goal: 'b/a wall', value: ratios.wall.ba, limit: GOALS.wall },
  { goal: 'b/a peak memory', value: ratios.peak.ba, limit: GOALS.peak },
  { goal: 'dist bytes', value: dist.bytes, limit: GOALS.distBytes },
].map((g) => ({ ...g, pass: g.value <= g.limit }));

printTable();
if (opts.json) {
  const samples = (c) => c.samples.map(({ wallMs, peakKiB }) => ({ wallMs, peakKiB }));
  const cs = Object.fromEntries(cases.map((c) => [c.key, { ...stats[c.key], samples: samples(c) }]));
  const json = { node: process.version, runs, warmup, entry: relative(ROOT, entry), cases: cs, ratios };
  json.dist = { dir: relative(ROOT, dirname(entry)) || '.', ...dist, entryBytes };
  json.goals = goals;
  console.log(JSON.stringify(json, null, 2));
}

/** Runs one child under the peak-RSS preload; resolves to its wall time, peak RSS and output tails. */
function runChild(c, peakFile) {
  rmSync(peakFile, { force: true }); // a stale report must not pass for this run's
  return new Promise((done) => {
    const out = { stdout: '', stderr: '' };
    const start = process.hrtime.bigint();
    let wallMs;
    const child = spawn(process.execPath, ['--import', PRELOAD, ...c.args], {
      cwd: sandbox.workspace, // a step runs in GITHUB_WORKSPACE; the floor too, so the cases differ only in script
      env: { ...c.env, BENCH_PEAK_RSS_FILE: peakFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Keep only the ends of the output: they are shown when a run fails.
    for (const name of ['stdout', 'stderr']) {
      child[name].setEncoding('utf8');
      child[name].on('data', (text) => (out[name] = (out[name] + text).slice(-2000)));
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('exit', () => (wallMs = Number(process.hrtime.bigint() - start) / 1e6));
    child.on('error', (err) => (out.stderr += `\nspawn: ${err.message}`));
    // 'close' comes after 'exit' once the output is drained; the peak report was written before the exit.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const peakKiB = existsSync(peakFile) ? Number(readFileSync(peakFile, 'utf8')) : NaN;
      let why;
      if (code !== 0) why = signal ? `killed by ${signal}` : `exit code ${code}`;
      else if (!(peakKiB > 0)) why = 'no peak-RSS report from bench/peak-rss.mjs';
      done({ ok: !why, why, wallMs, peakKiB, ...out });
    });
  });
}

/** Every (a) and (b) run, warm-ups included, must have delivered exactly one event, and nothing else came. */
function checkServer() {
  const expected = new Map([
    [FLOOR_EVENT, rounds],
    [ACTION_EVENT, rounds],
  ]);
  const errors = [...server.problems];
  for (const [name, want] of expected) {
    const got = server.counts.get(name) ?? 0;
    if (got !== want) errors.push(`expected ${want} "${name}" events, the server received ${got}`);
  }
  for (const [name, got] of server.counts) {
    if (!expected.has(name)) {
      errors.push(`unexpected event ${JSON.stringify(name ?? null)} received ${got} times`);
    }
  }
  if (errors.length === 0) return;
  // Show what the action said in its last runs: usually the reason it did not send, or sent twice.
  const [, b, c] = cases;
  const last = (x) => x.samples.at(-1);
  fail(`${errors.join('\n')}\n\nlast (b) run:\n${tails(last(b))}\n\nlast (c) run:\n${tails(last(c))}`);
}

function printTable() {
  const here = (path) => relative(process.cwd(), path) || '.';
  const cells = (xs) => xs.map((x) => (typeof x === 'number' ? x.toFixed(1) : x).padStart(8)).join('');
  const line = (label, wall, peak) => print(`${label.padEnd(20)}${cells(wall)}  ${cells(peak)}`.trimEnd());
  const { wall, peak, distBytes } = GOALS;

  print(`goal: b/a wall <= ${wall}, b/a peak memory <= ${peak}, dist <= ${distBytes / 1000} kB`);
  print(`node ${process.version}; ${runs} runs each after ${warmup} warm-up; entry ${here(entry)}`);
  print('');
  line('', ['', 'wall ms', ''], ['', 'peak MiB', '']);
  line('', ['median', 'min', 'max'], ['median', 'min', 'max']);
  for (const [key, { label, wallMs, peakMiB }] of Object.entries(stats)) {
    line(
      `(${key}) ${label}`,
      [wallMs.median, wallMs.min, wallMs.max],
      [peakMiB.median, peakMiB.min, peakMiB.max],
    );
  }
  print('');
  print(`b/a  wall ${ratios.wall.ba.toFixed(2)}  peak memory ${ratios.peak.ba.toFixed(2)}`);
  print(`c/a  wall ${ratios.wall.ca.toFixed(2)}  peak memory ${ratios.peak.ca.toFixed(2)}`);
  print(`${here(dirname(entry))}/ ${kB(dist.bytes)} kB (${dist.bytes} bytes in ${dist.files} files)`);
  print(`${here(entry)} ${kB(entryBytes)} kB (${entryBytes} bytes)`);
  print('');
  const verdict = goals.map((g) => (g.pass ? 'PASS' : 'FAIL'));
  print(`${verdict[0]}  b/a wall ${ratios.wall.ba.toFixed(2)} <= ${wall}`);
  print(`${verdict[1]}  b/a peak memory ${ratios.peak.ba.toFixed(2)} <= ${peak}`);
  print(`${verdict[2]}  dist ${kB(dist.bytes)} kB <= ${distBytes / 1000} kB`);
}

/** The bytes of all files under `dir`, recursively. */
function sizeOf(dir) {
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(dir, { recursive: true })) {
    const st = statSync(join(dir, name));
    if (st.isFile()) {
      bytes += st.size;
      files++;
    }
  }
  return { bytes, files };
}

function summary(xs) {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
}

function tails(result) {
  if (!result) return '(no run)';
  return `--- stderr (tail) ---\n${result.stderr.trimEnd()}\n--- stdout (tail) ---\n${result.stdout.trimEnd()}`;
}

function kB(bytes) {
  return (bytes / 1000).toFixed(1);
}

function count(text, flag, min) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) fail(`${flag} must be an integer >= ${min}, got ${text}`);
  return value;
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}
