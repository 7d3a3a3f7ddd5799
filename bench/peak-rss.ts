// Preloaded into every benchmarked child (`node --import <this file> script`). The bench runs it as the
// JavaScript esbuild strips it to, never as .ts: Node's type stripping would cost every child ~130 ms and
// ~16 MiB, more than the action itself.
//
// Node cannot read a child's rusage, so the child reports its own: on exit it writes
// process.resourceUsage().maxRSS (KiB, the kernel's high-water mark for this process) to the file named by
// BENCH_PEAK_RSS_FILE. The 'exit' event fires for a natural exit, for process.exit() and when the script only
// sets process.exitCode, so every way the action can end is covered; only a kill by signal is not, and the
// bench treats a missing report as a failed run. The floor and the action load this same file, so its small
// cost is paid equally by every case.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_RSS_FILE;
// Hide the variable from the measured script: it should see the same environment as without the preload.
delete process.env.BENCH_PEAK_RSS_FILE;

if (file) {
  process.on('exit', () => {
    writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
