// The job summary of the way back: one table, a row per action of each automation that fired on one of the
// step's events (a row for an event no automation fired on), with the flow run it created, its final state
// and a link. Every string that came from Prefect or the inputs is escaped as the event summary escapes it.
import { escapeMarkdown } from './summary.ts';

export interface WaitRow {
  event: string;
  eventId: string;
  automation?: string;
  action?: string;
  flowRun?: string;
  state?: string;
  /** Built here from the API URL and ids, never from a server's text. */
  url?: string;
}

// Rows shown; the rest are counted, as the events' table does.
const MAX_ROWS = 50;

/** Our own link: only `(`, `)` and `|` could still end the link or the cell, so they are percent-encoded. */
const link = (url: string) =>
  `[Open in Prefect](${url.replace(/[()|]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)})`;

export function waitSummaryMarkdown(title: string, rows: readonly WaitRow[]): string {
  const shown = rows.slice(0, MAX_ROWS);
  const rest = rows.length - shown.length;
  const cell = (text: string | undefined) => (text ? escapeMarkdown(text) : '—');
  return [
    `### ${escapeMarkdown(title)}`,
    '',
    '| Event | Automation | Action | Flow run | Final state | Link |',
    '| --- | --- | --- | --- | --- | --- |',
    ...shown.map(
      (row) =>
        `| ${cell(row.event)} (${row.eventId}) | ${cell(row.automation)} | ${cell(row.action)} | ` +
        `${cell(row.flowRun)} | ${cell(row.state)} | ${row.url ? link(row.url) : '—'} |`,
    ),
    ...(rest > 0 ? ['', `…and ${rest} more row${rest === 1 ? '' : 's'}, not listed here.`] : []),
    '',
  ].join('\n');
}
