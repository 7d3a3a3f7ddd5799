// readBoundedFile: every file the action is pointed at is read to its end but never past its bound, whatever
// size the file reports (/proc files report 0), and only when it is a regular file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readBoundedFile } from '../../src/inputs/bounded-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'emit-prefect-event-bounded-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const LINUX = process.platform === 'linux';

describe('readBoundedFile', () => {
  test('a regular file up to the bound is read whole; one byte more is refused with the size it reports', () => {
    const path = join(dir, 'exact.txt');
    writeFileSync(path, '\uFEFFabcdé'); // 3 bytes of byte order mark, 6 of text
    assert.equal(readBoundedFile(path, 9), 'abcdé');
    assert.deepEqual(readBoundedFile(path, 8), { problem: 'too large', size: 9 });
  });

  test('a file that reports 0 bytes is read to its end, nothing lost', { skip: !LINUX }, () => {
    // /proc/self/status reports 0 bytes and holds about a kilobyte and a half, over several lines.
    const text = readBoundedFile('/proc/self/status', 1024 * 1024);
    assert.equal(typeof text, 'string');
    assert.match(text as string, /^Name:\t.*\n[\s\S]*\nVmRSS:[\s\S]*\n$/);
  });

  test('a file that reports 0 bytes and holds gigabytes is refused at the bound', { skip: !LINUX }, () => {
    // /proc/self/pagemap: 8 bytes for every page of the address space; read whole, it fills memory.
    assert.deepEqual(readBoundedFile('/proc/self/pagemap', 1024 * 1024), { problem: 'too large' });
  });

  test('a directory, a pipe, a device and a missing file are not read', { skip: !LINUX }, () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    assert.deepEqual(readBoundedFile(sub, 10), { problem: 'directory' });
    assert.deepEqual(readBoundedFile(fifo, 10), { problem: 'not a regular file' });
    assert.deepEqual(readBoundedFile('/dev/zero', 10), { problem: 'not a regular file' });
    assert.deepEqual(readBoundedFile(join(dir, 'missing'), 10), { problem: 'cannot read', code: 'ENOENT' });
  });

  test('a large regular file is read as it is, byte for byte', () => {
    const path = join(dir, 'large.json');
    writeFileSync(path, JSON.stringify({ text: 'é'.repeat(300_000) }));
    assert.equal(readBoundedFile(path, 1024 * 1024), readFileSync(path, 'utf8'));
  });
});
