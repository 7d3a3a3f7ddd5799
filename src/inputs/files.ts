// Files named by inputs (payload-file, events-file): only regular files inside the workspace, read with a
// size limit. A FIFO would hang the step, /dev/zero would fill memory, and a path out of the workspace (a
// service-account key, say) would put another file's content into the log and the event.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from './source.ts';

/**
 * Reads a UTF-8 text file that lies inside `workspace` (after following symbolic links), of at most
 * `maxBytes`. Errors name the input and the path as given.
 */
export function readWorkspaceFile(input: string, path: string, workspace: string, maxBytes: number): string {
  const shown = JSON.stringify(path);
  const full = resolve(workspace, path);
  let real: string;
  try {
    real = realpathSync(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
    throw new InputError(input, `names a file that ${why}: ${full}.`);
  }
  const root = realWorkspace(workspace);
  const inside = relative(root, real);
  if (inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
    throw new InputError(
      input,
      `names ${shown}, which is outside the workspace (${root}): give a file in the repository's checkout.`,
    );
  }
  // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(
      input,
      `names a file that cannot be read (${(error as NodeJS.ErrnoException).code}): ${full}.`,
    );
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new InputError(input, `names a directory, not a file: ${full}.`);
    if (!stats.isFile()) {
      throw new InputError(
        input,
        `names ${shown}, which is not a regular file (a pipe or a device): give a file.`,
      );
    }
    if (stats.size > maxBytes) {
      throw new InputError(
        input,
        `names a file of ${stats.size} bytes; at most ${maxBytes} bytes are read: ${full}.`,
      );
    }
    // Read at most one byte past the limit: a file that grows after the check is still refused.
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    for (let read = 1; read > 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > maxBytes) {
      throw new InputError(
        input,
        `names a file of more than ${maxBytes} bytes, the most that is read: ${full}.`,
      );
    }
    // Windows PowerShell writes a byte order mark by default; it is not part of the content.
    return buffer
      .subarray(0, length)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

function realWorkspace(workspace: string): string {
  try {
    return realpathSync(workspace);
  } catch {
    return resolve(workspace);
  }
}
