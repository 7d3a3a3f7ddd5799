// One measured child: `node --require <usage preload> ...args`, timed from spawn to exit, with its peak RSS
// and CPU time as the preload reports them, and the ends of its output for when it fails.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout, clearTimeout } from 'node:timers';
import type { ChildCommand } from './cases.ts';

const CHILD_TIMEOUT_MS = 60_000;

export interface ChildResult {
  ok: boolean;
  why?: string;
  wallMs: number;
  peakKiB: number;
  cpuMs: number;
  stdout: string;
  stderr: string;
}

/** Runs one child with the preload; resolves to its wall time, peak RSS and output tails. */
export function runChild(
  command: ChildCommand,
  preload: string,
  cwd: string,
  usageFile: string,
): Promise<ChildResult> {
  rmSync(usageFile, { force: true }); // a stale report must not pass for this run's
  return new Promise((done) => {
    const out = { stdout: '', stderr: '' };
    const start = process.hrtime.bigint();
    let wallMs = NaN;
    const child = spawn(process.execPath, ['--require', preload, ...command.args], {
      cwd, // a step runs in GITHUB_WORKSPACE; the floor too, so the cases differ only in script
      env: { ...command.env, BENCH_USAGE_FILE: usageFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Keep only the ends of the output: they are shown when a run fails.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (out.stdout = (out.stdout + text).slice(-2000)));
    child.stderr.on('data', (text: string) => (out.stderr = (out.stderr + text).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('exit', () => (wallMs = Number(process.hrtime.bigint() - start) / 1e6));
    child.on('error', (err) => (out.stderr += `\nspawn: ${err.message}`));
    // 'close' comes after 'exit' once the output is drained; the peak report was written before the exit.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const [peakKiB = NaN, cpuMs = NaN] = existsSync(usageFile)
        ? readFileSync(usageFile, 'utf8').split(' ').map(Number)
        : [];
      let why: string | undefined;
      if (code !== 0) why = signal ? `killed by ${signal}` : `exit code ${code}`;
      else if (!(peakKiB > 0 && cpuMs > 0)) why = 'no usage report from bench/usage.cjs';
      done({ ok: !why, why, wallMs, peakKiB, cpuMs, ...out });
    });
  });
}

export function tails(result: ChildResult | undefined): string {
  if (!result) return '(no run)';
  return `--- stderr (tail) ---\n${result.stderr.trimEnd()}\n--- stdout (tail) ---\n${result.stdout.trimEnd()}`;
}
