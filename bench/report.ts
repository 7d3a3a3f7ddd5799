// The bench's figures: medians, minima and maxima per case, the ratios to each case's floor, the goals, and
// the table the bench prints.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCase } from './cases.ts';
import type { ChildResult } from './child.ts';

export interface Summary {
  median: number;
  min: number;
  max: number;
}

export interface CaseStats {
  label: string;
  /** Measured runs (a slow case may have fewer than --runs). */
  runs: number;
  wallMs: Summary;
  cpuMs: Summary;
  peakMiB: Summary;
}

export interface Goal {
  goal: string;
  value: number;
  limit: number;
  pass: boolean;
}

/** ratios.wall.ba: the median wall time of case b over its floor a's; likewise CPU time and peak. */
export interface Ratios {
  wall: Record<string, number>;
  cpu: Record<string, number>;
  peak: Record<string, number>;
}

export function caseStats(c: BenchCase, samples: ChildResult[]): CaseStats {
  return {
    label: c.label,
    runs: samples.length,
    wallMs: summary(samples.map((s) => s.wallMs)),
    cpuMs: summary(samples.map((s) => s.cpuMs)),
    peakMiB: summary(samples.map((s) => s.peakKiB / 1024)),
  };
}

export function ratiosOf(cases: BenchCase[], stats: Record<string, CaseStats>): Ratios {
  const ratios: Ratios = { wall: {}, cpu: {}, peak: {} };
  for (const c of cases) {
    const own = stats[c.key];
    const floor = c.floor === undefined ? undefined : stats[c.floor];
    if (!own || !floor) continue;
    ratios.wall[c.key + c.floor] = own.wallMs.median / floor.wallMs.median;
    ratios.cpu[c.key + c.floor] = own.cpuMs.median / floor.cpuMs.median;
    ratios.peak[c.key + c.floor] = own.peakMiB.median / floor.peakMiB.median;
  }
  return ratios;
}

export function goalsOf(cases: BenchCase[], ratios: Ratios, distBytes: number, distLimit: number): Goal[] {
  const goals: Omit<Goal, 'pass'>[] = [];
  for (const c of cases) {
    const pair = `${c.key}${c.floor}`;
    const wall = ratios.wall[pair];
    const peak = ratios.peak[pair];
    if (c.goals?.wall !== undefined && wall !== undefined) {
      goals.push({ goal: `${c.key}/${c.floor} wall`, value: wall, limit: c.goals.wall });
    }
    if (c.goals?.peak !== undefined && peak !== undefined) {
      goals.push({ goal: `${c.key}/${c.floor} peak memory`, value: peak, limit: c.goals.peak });
    }
  }
  goals.push({ goal: 'dist bytes', value: distBytes, limit: distLimit });
  return goals.map((g) => ({ ...g, pass: g.value <= g.limit }));
}

export interface Table {
  print: (line: string) => void;
  runs: number;
  warmup: number;
  /** The machine's 1-minute load average when the bench started and ended, and its cores. */
  load: { before: number; after: number; cores: number };
  entry: string;
  distDir: string;
  dist: { bytes: number; files: number };
  entryBytes: number;
  cases: BenchCase[];
  stats: Record<string, CaseStats>;
  ratios: Ratios;
  goals: Goal[];
}

export function printTable(t: Table): void {
  const { print } = t;
  const cells = (xs: (number | string)[]) =>
    xs.map((x) => (typeof x === 'number' ? x.toFixed(1) : x).padStart(8)).join('');
  const width = Math.max(20, ...Object.entries(t.stats).map(([key, s]) => `(${key}) ${s.label}`.length + 14));
  const line = (label: string, wall: (number | string)[], cpu: number | string, peak: (number | string)[]) =>
    print(`${label.padEnd(width)}${cells(wall)}  ${cells([cpu])}  ${cells(peak)}`.trimEnd());
  const limit = (g: Goal) =>
    g.goal === 'dist bytes' ? `dist <= ${g.limit / 1000} kB` : `${g.goal} <= ${g.limit}`;

  print(`goal: ${t.goals.map(limit).join(', ')}`);
  print(`node ${process.version}; ${t.runs} runs each after ${t.warmup} warm-up; entry ${t.entry}`);
  print(
    `load average ${t.load.before.toFixed(2)} at the start, ${t.load.after.toFixed(2)} at the end, ` +
      `on ${t.load.cores} cores`,
  );
  print('');
  line('', ['', 'wall ms', ''], 'cpu ms', ['', 'peak MiB', '']);
  line('', ['median', 'min', 'max'], 'median', ['median', 'min', 'max']);
  for (const [key, { label, runs, wallMs, cpuMs, peakMiB }] of Object.entries(t.stats)) {
    line(
      `(${key}) ${label}${runs === t.runs ? '' : ` [${runs} runs]`}`,
      [wallMs.median, wallMs.min, wallMs.max],
      cpuMs.median,
      [peakMiB.median, peakMiB.min, peakMiB.max],
    );
  }
  print('');
  for (const c of t.cases) {
    const wall = t.ratios.wall[`${c.key}${c.floor}`];
    const cpu = t.ratios.cpu[`${c.key}${c.floor}`];
    const peak = t.ratios.peak[`${c.key}${c.floor}`];
    if (wall === undefined || cpu === undefined || peak === undefined) continue;
    print(
      `${c.key}/${c.floor}  wall ${wall.toFixed(2)}  cpu ${cpu.toFixed(2)}  peak memory ${peak.toFixed(2)}`,
    );
  }
  print(`${t.distDir}/ ${kB(t.dist.bytes)} kB (${t.dist.bytes} bytes in ${t.dist.files} files)`);
  print(`${t.entry} ${kB(t.entryBytes)} kB (${t.entryBytes} bytes)`);
  print('');
  for (const g of t.goals) {
    const verdict = g.pass ? 'PASS' : 'FAIL';
    if (g.goal === 'dist bytes') print(`${verdict}  dist ${kB(g.value)} kB <= ${g.limit / 1000} kB`);
    else print(`${verdict}  ${g.goal} ${g.value.toFixed(2)} <= ${g.limit}`);
  }
}

/** The bytes of all files under `dir`, recursively. */
export function sizeOf(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const st = statSync(join(dir, name));
    if (st.isFile()) {
      bytes += st.size;
      files++;
    }
  }
  return { bytes, files };
}

function summary(xs: number[]): Summary {
  const sorted = [...xs].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  const at = (i: number) => sorted[i] ?? NaN;
  const median = sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  return { median, min: at(0), max: at(sorted.length - 1) };
}

function kB(bytes: number): string {
  return (bytes / 1000).toFixed(1);
}
