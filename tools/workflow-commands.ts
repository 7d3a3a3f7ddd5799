// What the runner does with the workflow commands a step prints on stdout (`::add-mask::`, `::warning::` …),
// for showing a step's output in a terminal: masks registered with `::add-mask::` are replaced by `***` in
// every line from then on, as the runner does, and the command lines themselves become readable text.

/** The data of a workflow command, unescaped (@actions/core escapes %, CR and LF). */
function unescapeData(text: string): string {
  return text.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replaceAll('%3A', ':').replaceAll('%2C', ',');
}

const LABELS: Record<string, string> = { error: 'Error', warning: 'Warning', notice: 'Notice' };

/**
 * Returns a function that turns one line of a step's stdout into what a terminal should show, or undefined
 * for a line the runner does not show (`::add-mask::`, `::debug::` without step debugging, `::endgroup::`).
 */
export function workflowCommandFilter(options: { debug?: boolean } = {}): {
  line(text: string): string | undefined;
  redact(text: string): string;
} {
  const masks: string[] = [];
  const redact = (text: string) => {
    // Longest first, so a secret that contains another is masked whole.
    for (const mask of [...masks].sort((a, b) => b.length - a.length)) text = text.replaceAll(mask, '***');
    return text;
  };
  const line = (text: string): string | undefined => {
    const command = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(text);
    if (!command) return redact(text);
    const [, name = '', properties = '', data = ''] = command;
    const value = unescapeData(data);
    switch (name) {
      case 'add-mask':
        if (value.trim() !== '') masks.push(value);
        return undefined;
      case 'debug':
        return options.debug ? redact(`Debug: ${value}`) : undefined;
      case 'group':
        return redact(`▸ ${value}`);
      case 'endgroup':
        return undefined;
      default: {
        const label = LABELS[name];
        if (!label) return redact(text);
        const where = properties ? ` (${unescapeProperty(properties)})` : '';
        return redact(`${label}${where}: ${value}`);
      }
    }
  };
  return { line, redact };
}
