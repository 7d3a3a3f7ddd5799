// ISO 8601 timestamps as Prefect reads them: without an offset it is UTC; a date alone is its midnight UTC
// (pydantic, which parses Prefect's `occurred`, takes a date for a datetime the same way).
import { ParseError } from './error.ts';

// Date, then optionally time (a space may stand for the T) with optional seconds, fraction and offset.
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Whether the text has the shape of an ISO 8601 timestamp (it may still name no real date). */
export function looksLikeTimestamp(text: string): boolean {
  return ISO_TIMESTAMP.test(text);
}

/** Parses an ISO 8601 timestamp; throws ParseError for another shape or a date that does not exist. */
export function parseTimestamp(text: string): Date {
  const match = ISO_TIMESTAMP.exec(text);
  if (!match) {
    throw new ParseError(
      `must be an ISO 8601 timestamp such as 2026-01-31T12:00:00Z, not ${JSON.stringify(text)}`,
    );
  }
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', offset] = match;
  const zone =
    !offset || offset.toUpperCase() === 'Z' ? 'Z' : offset.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const millis = fraction && fraction.slice(0, 4).padEnd(4, '0'); // JavaScript dates keep milliseconds
  const date = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${zone}`);
  // Date silently rolls 2026-02-30 over to March; a timestamp that does not round-trip is not a real date.
  // setUTCFullYear, not Date.UTC, which reads the years 0 to 99 as 1900 to 1999.
  const roundTrip = new Date(0);
  roundTrip.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  const sameDay =
    roundTrip.getUTCFullYear() === Number(year) &&
    roundTrip.getUTCMonth() === Number(month) - 1 &&
    roundTrip.getUTCDate() === Number(day);
  // Date also takes 24:00 (the next day's midnight); a timestamp of the day itself must stay on it.
  const realTime = Number(hour) < 24 && Number(minute) < 60 && Number(second) < 60;
  if (Number.isNaN(date.getTime()) || !sameDay || !realTime) {
    throw new ParseError(`is not a real date and time: ${JSON.stringify(text)}`);
  }
  return date;
}
