// Where a value came from, as the user wrote it: an input, a file and line, an item of a list. Every error
// about an input is one sentence that starts by naming it.

/** Thrown for a bad input; the step fails with its message and sends nothing. */
export class InputError extends Error {
  override name = 'InputError';
  /** The input or part named: `payload`, `events[3].resource`. */
  readonly input: string;
  /** The message after the name, so a caller that knows more (a file's line) can say it after the name. */
  readonly problem: string;
  /** `name` is an input (`payload`) or a part of one (`events[3].resource`). */
  constructor(name: string, problem: string) {
    super(`${inputLabel(name)} ${problem}`);
    this.input = name;
    this.problem = problem;
  }
}

/** How messages name an input or a part of one: `Input "payload"`. */
export function inputLabel(name: string): string {
  return `Input "${name}"`;
}

/** A short, safe quotation of text from an input: JSON-escaped (no raw new lines), cut when long. */
export function quote(text: string, max = 80): string {
  const cut = [...text];
  return JSON.stringify(cut.length > max ? `${cut.slice(0, max).join('')}…` : text);
}
