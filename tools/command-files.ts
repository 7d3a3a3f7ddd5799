// The runner's file commands as @actions/core writes them. GITHUB_OUTPUT, GITHUB_STATE and GITHUB_ENV share
// one format, so one parser reads all three: `name=value` lines and `name<<DELIMITER` blocks whose value is
// every line up to the line that is exactly DELIMITER.

/** name -> value; a later entry for the same name wins, as it does on the runner. */
export function parseCommandFile(text: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const end = lines.indexOf(delimiter ?? '', i + 1);
      if (end < 0) {
        throw new Error(`Line ${i + 1} opens "${name}<<${delimiter}" but no line ${delimiter} closes it.`);
      }
      entries[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const equals = line.indexOf('=');
    if (equals <= 0) throw new Error(`Line ${i + 1} is neither name=value nor name<<DELIMITER: "${line}".`);
    entries[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return entries;
}

/** GITHUB_PATH: one directory a line, each put in front of PATH for the later steps (the last line first). */
export function parsePathFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .reverse();
}
