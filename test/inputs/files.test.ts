// readWorkspaceFile: only regular files inside the workspace, read with a size limit, never hanging.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readWorkspaceFile } from '../../src/inputs/files.ts';

const root = mkdtempSync(join(tmpdir(), 'emit-prefect-event-files-'));
const workspace = join(root, 'workspace');
mkdirSync(join(workspace, 'out'), { recursive: true });
writeFileSync(join(workspace, 'out', 'payload.json'), '{"ok": true}');
writeFileSync(join(root, 'service-account.json'), '{"private_key": "secret"}');
after(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string, maxBytes = 1000) => readWorkspaceFile('payload-file', path, workspace, maxBytes);
const outside = (path: string) =>
  `Input "payload-file" names ${JSON.stringify(path)}, which is outside the workspace (${workspace}): ` +
  "give a file in the repository's checkout.";

describe('readWorkspaceFile', () => {
  test('a file in the workspace, relative or absolute', () => {
    assert.equal(read('out/payload.json'), '{"ok": true}');
    assert.equal(read(join(workspace, 'out', 'payload.json')), '{"ok": true}');
  });

  test('a path out of the workspace is refused: absolute, ../, or a symbolic link leaving it', () => {
    const key = join(root, 'service-account.json');
    assert.throws(() => read(key), { message: outside(key) });
    assert.throws(() => read('../service-account.json'), { message: outside('../service-account.json') });
    symlinkSync(key, join(workspace, 'innocent.json'));
    assert.throws(() => read('innocent.json'), { message: outside('innocent.json') });
  });

  test('a FIFO is refused at once instead of waiting for a writer', () => {
    execFileSync('mkfifo', [join(workspace, 'pipe.json')]);
    assert.throws(() => read('pipe.json'), {
      message:
        'Input "payload-file" names "pipe.json", which is not a regular file (a pipe or a device): give a file.',
    });
  });

  test('a link to a device (/dev/zero) in the workspace is refused without reading it', () => {
    symlinkSync('/dev/zero', join(workspace, 'zero.json'));
    // /dev/zero lies outside the workspace, which is checked first; either way nothing is read.
    assert.throws(() => read('zero.json'), { message: outside('zero.json') });
  });

  test('a file over the limit is refused before it is read, with its size', () => {
    writeFileSync(join(workspace, 'big.json'), 'x'.repeat(1001));
    assert.throws(() => read('big.json'), {
      message: `Input "payload-file" names a file of 1001 bytes; at most 1000 bytes are read: ${join(workspace, 'big.json')}.`,
    });
    assert.equal(read('big.json', 1001).length, 1001);
  });

  test('a missing file and a directory name the full path', () => {
    assert.throws(() => read('out/missing.json'), {
      message: `Input "payload-file" names a file that does not exist: ${join(workspace, 'out', 'missing.json')}.`,
    });
    assert.throws(() => read('out'), {
      message: `Input "payload-file" names a directory, not a file: ${join(workspace, 'out')}.`,
    });
  });

  test('a byte order mark is dropped', () => {
    writeFileSync(join(workspace, 'bom.json'), '\uFEFF{}');
    assert.equal(read('bom.json'), '{}');
  });
});
