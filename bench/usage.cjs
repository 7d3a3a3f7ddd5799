// Preloaded into every benchmarked child (`node --require <this file> script`), the floors and the action
// alike, so its small cost is paid equally by every case. CommonJS, like the floors, so that the preload
// itself loads no ES module machinery and no built-in module the measured script would not.
//
// Node cannot read a child's rusage, so the child reports its own: on exit it writes its peak resident memory
// in KiB and the CPU time it used in ms (user and system, all threads: process.cpuUsage()) to the file named
// by BENCH_USAGE_FILE. CPU time is less shaken than wall time by other processes on a shared machine. On Linux that is VmHWM from /proc/self/status, the
// high-water mark of this program's own memory: process.resourceUsage().maxRSS is not, as Linux carries it
// over from the parent across fork and exec, so every child would report at least the bench's own peak (the
// bench grows while it reads the large batches). Elsewhere maxRSS is the best there is. The 'exit' event fires for a natural exit, for process.exit() and when the script only
// sets process.exitCode, so every way the action can end is covered; only a kill by signal is not, and the
// bench treats a missing report as a failed run.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

const file = process.env.BENCH_USAGE_FILE;
// Hide the variable from the measured script: it should see the same environment as without the preload.
delete process.env.BENCH_USAGE_FILE;

if (file) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(file, `${peakKiB()} ${(user + system) / 1000}`);
  });
}

function peakKiB() {
  try {
    const hwm = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
