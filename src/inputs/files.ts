// Files named by inputs (payload-file, events-file): only regular files inside the workspace, read with a
// bound (bounded-file.ts). A path out of the workspace (a service-account key, say) would put another
// file's content into the log and the event.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { readBoundedFile } from './bounded-file.ts';
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
  const text = readBoundedFile(real, maxBytes);
  if (typeof text === 'string') return text;
  switch (text.problem) {
    case 'cannot read':
      throw new InputError(input, `names a file that cannot be read (${text.code}): ${full}.`);
    case 'directory':
      throw new InputError(input, `names a directory, not a file: ${full}.`);
    case 'not a regular file':
      throw new InputError(
        input,
        `names ${shown}, which is not a regular file (a pipe or a device): give a file.`,
      );
    case 'too large':
      throw new InputError(
        input,
        text.size === undefined
          ? `names a file of more than ${maxBytes} bytes, the most that is read: ${full}.`
          : `names a file of ${text.size} bytes; at most ${maxBytes} bytes are read: ${full}.`,
      );
  }
}

function realWorkspace(workspace: string): string {
  try {
    return realpathSync(workspace);
  } catch {
    return resolve(workspace);
  }
}
