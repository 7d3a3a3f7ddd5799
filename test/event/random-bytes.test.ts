// Random bytes from the operating system's generator, without node:crypto where there is a /dev/urandom.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fillRandom } from '../../src/event/random-bytes.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Fills a few buffers; none may repeat, and every byte value turns up over 64 KiB. */
function assertRandom(fill: (bytes: Uint8Array) => void): void {
  const seen = new Set<string>();
  const values = new Set<number>();
  for (let i = 0; i < 16; i++) {
    const bytes = new Uint8Array(4096);
    fill(bytes);
    seen.add(Buffer.from(bytes).toString('hex'));
    for (const byte of bytes) values.add(byte);
  }
  assert.equal(seen.size, 16);
  assert.equal(values.size, 256);
}

test('fills every byte, differently each time', () => {
  assertRandom((bytes) => fillRandom(bytes));
});

test('without the device, or with a file by its name, the bytes come from node:crypto', () => {
  const dir = tempDir('random-bytes-');
  const file = join(dir, 'urandom');
  writeFileSync(file, Buffer.alloc(8192)); // zeros: taken for the device, they would repeat
  for (const device of [join(dir, 'missing'), file]) {
    assertRandom((bytes) => fillRandom(bytes, device));
  }
});
