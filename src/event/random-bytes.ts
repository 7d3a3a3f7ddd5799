// Random bytes, for event ids and the delimiters of the runner's output file, from the operating system's
// generator. Where there is a /dev/urandom (Linux, macOS) it is read with node:fs, which Node loads for
// itself: node:crypto would cost every start-up about 5 ms of compiling its modules (measured 2026-12-05 on
// Node 24: 29.9 against 24.4 ms of CPU for a script that loads node:http), an eighth of what the whole step
// takes, for bytes the kernel's generator gives in microseconds. Elsewhere (Windows), node:crypto.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Fills `bytes` with cryptographically strong random bytes. `device` is for tests. */
export function fillRandom(bytes: Uint8Array, device = '/dev/urandom'): void {
  if (process.platform !== 'win32') {
    try {
      readDevice(device, bytes);
      return;
    } catch {
      // No such device here (a container without /dev, say): the generator node:crypto uses.
    }
  }
  process.getBuiltinModule('node:crypto').randomFillSync(bytes);
}

function readDevice(device: string, bytes: Uint8Array): void {
  const fd = openSync(device, 'r');
  try {
    // The device and nothing else: a regular file by that name would give the same bytes every time.
    if (!fstatSync(fd).isCharacterDevice()) throw new Error(`${device} is not a character device`);
    for (let filled = 0; filled < bytes.length;) {
      const read = readSync(fd, bytes, filled, bytes.length - filled, null);
      if (read === 0) throw new Error(`${device} ended`);
      filled += read;
    }
  } finally {
    closeSync(fd);
  }
}
