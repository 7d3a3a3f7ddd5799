// The one way the action reads a file it is pointed at (payload-file, events-file, PREFECT_API_SSL_CERT_FILE,
// GITHUB_EVENT_PATH): a regular file only, read to its end but never past a bound. The bound is on what is
// read, not on the size the file reports: /proc/self/pagemap reports 0 bytes and holds gigabytes, and a
// file may grow while it is read. A FIFO would hold the step open and /dev/zero would fill memory.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Why a file was not read, for the caller to word with the name it knows the file by. */
export type Unread =
  | { problem: 'cannot read'; code: string }
  | { problem: 'directory' }
  | { problem: 'not a regular file' }
  /** `size`: what the file reports, when that alone is past the bound. */
  | { problem: 'too large'; size?: number };

// What is read at a time once the reported size is used up (a file that reports less than it holds).
const CHUNK_BYTES = 64 * 1024;

/** The file's text (UTF-8, without a byte order mark), or why it was not read. */
export function readBoundedFile(path: string, maxBytes: number): string | Unread {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO returns at once instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return code === 'EISDIR' ? { problem: 'directory' } : { problem: 'cannot read', code };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { problem: 'directory' };
    if (!stats.isFile()) return { problem: 'not a regular file' };
    if (stats.size > maxBytes) return { problem: 'too large', size: stats.size };
    let bytes: Buffer | undefined;
    try {
      bytes = readUpTo(fd, stats.size, maxBytes);
    } catch (error) {
      return { problem: 'cannot read', code: (error as NodeJS.ErrnoException).code ?? String(error) };
    }
    if (bytes === undefined) return { problem: 'too large' };
    // Windows PowerShell writes a byte order mark by default; it is not part of the content.
    return bytes.toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

/**
 * Everything to the end of the file, or undefined once more than `maxBytes` has been read. `reportedSize`
 * (what fstat says, at most `maxBytes`) is only where to start.
 */
function readUpTo(fd: number, reportedSize: number, maxBytes: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  // The reported size and one byte more: a file that is what it says is read in one buffer. A file that
  // says 0 (as /proc's do) is read a chunk at a time: some (/proc/self/pagemap) refuse reads of a byte.
  let chunk = Buffer.allocUnsafe(reportedSize === 0 ? CHUNK_BYTES : reportedSize + 1);
  let filled = 0;
  for (;;) {
    if (filled === chunk.length) {
      total += filled;
      if (total > maxBytes) return undefined;
      chunks.push(chunk);
      // A whole chunk even near the bound (at most one chunk past it): some files refuse short reads.
      chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      filled = 0;
    }
    const read = readSync(fd, chunk, filled, chunk.length - filled, null);
    if (read === 0) break;
    filled += read;
  }
  chunks.push(chunk.subarray(0, filled));
  total += filled;
  if (total > maxBytes) return undefined;
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}
