// The one error the parsers throw: what is wrong and where, in the text's own terms (line and column).
// It knows nothing of inputs or files; inputs/ adds the source ("Input "payload" ...", a file and line).

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in characters of the line. */
  column: number;
}

export class ParseError extends Error {
  override name = 'ParseError';
  /** What is wrong, without the position: "Unexpected token "}"". */
  readonly reason: string;
  readonly position: TextPosition | undefined;
  constructor(reason: string, position?: TextPosition) {
    super(position ? `${reason} at line ${position.line}, column ${position.column}` : reason);
    this.reason = reason;
    this.position = position;
  }
}

/** The line and column of a character offset in a text. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n') };
}
