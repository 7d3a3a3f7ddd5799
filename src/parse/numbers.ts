// Whether a number as written is the number JavaScript holds: the one rule JSON and YAML share, so that
// what Prefect stores is what was written (2^53 + 1 or 0.1000…0001 would arrive changed).

/** Whether the number as written is the double's value. Hex and octal (YAML) are exact when safe. */
export function sameNumber(written: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (/^[-+]?0[xo]/i.test(written)) return Number.isSafeInteger(value);
  return decimal(written.replace(/^\+/, '')) === decimal(String(value));
}

/** A decimal as `digits e exponent` without leading or trailing zeros: one spelling per value. */
function decimal(text: string): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '');
  if (significant === '') return '0';
  const shift = Number(exponent) - fraction.length + (digits.length - significant.length);
  return `${sign}${significant}e${shift}`;
}
