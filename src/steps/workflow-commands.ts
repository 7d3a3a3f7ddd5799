// What a step says to the GitHub runner, written the way @actions/core writes it: `::command::data` lines on
// stdout, and `name<<DELIMITER` blocks appended to the runner's command files (GITHUB_OUTPUT, GITHUB_STATE)
// and the job summary. The action used @actions/core for this; loading it cost every step more start-up
// than the rest of the action's work (Node's fs/promises, readline and os modules, its summary class), so
// these few commands are written here, byte for byte as @actions/core 3 writes them
// (test/steps/workflow-commands.test.ts compares the two).
import { accessSync, appendFileSync, constants, existsSync, writeSync } from 'node:fs';
import { randomUuid } from '../event/uuid.ts';

/** os.EOL, without loading node:os for it: the runner reads CRLF on Windows, as @actions/core writes it. */
const EOL = process.platform === 'win32' ? '\r\n' : '\n';

/** `::command key=value,...::data` on stdout, escaped as the runner unescapes it. */
export function issueCommand(command: string, data: string, properties: Record<string, string> = {}): void {
  const props = Object.entries(properties)
    .filter(([, value]) => value)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  writeOut(`::${command}${props ? ` ${props}` : ''}::${escapeData(data)}${EOL}`);
}

/** A line of the log. */
export function writeLine(text: string): void {
  writeOut(text + EOL);
}

// Whether stdout is written through process.stdout, once a direct write could not be made.
let throughStream = false;

/**
 * Writes to stdout directly (file descriptor 1), in order and at once: process.stdout on the runner's pipe
 * is a socket stream Node builds on first use, most of a millisecond of every step for a few lines. A pipe
 * that cannot take more right now (EAGAIN, a non-blocking pipe that is full) gets the rest, and everything
 * after it, through process.stdout, which waits for it.
 */
function writeOut(text: string): void {
  let bytes = Buffer.from(text, 'utf8');
  while (!throughStream && bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(1, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      throughStream = true;
    }
  }
  if (bytes.length > 0) process.stdout.write(bytes);
}

/**
 * `name=value` for a file command (OUTPUT, STATE): a `name<<DELIMITER` block appended to the runner's file
 * GITHUB_<command>, or, outside a runner with files, the older `::set-output` / `::save-state` command.
 */
export function setFileValue(
  env: NodeJS.ProcessEnv,
  command: 'OUTPUT' | 'STATE',
  name: string,
  value: string,
): void {
  const file = env[`GITHUB_${command}`];
  if (!file) {
    if (command === 'OUTPUT') writeOut(EOL);
    issueCommand(command === 'OUTPUT' ? 'set-output' : 'save-state', value, { name });
    return;
  }
  if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
  // A fresh random delimiter, so no value can end the block early and set another name.
  const delimiter = `ghadelimiter_${randomUuid()}`;
  if (name.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (value.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
}

/** Appends Markdown to the job summary file; the error says so when the file cannot be read and written. */
export function appendToSummary(file: string, markdown: string): void {
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch {
    throw new Error(
      `Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`,
    );
  }
  appendFileSync(file, markdown, 'utf8');
}

function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
