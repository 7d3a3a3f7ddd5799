// The job summary (Markdown). Every string from inputs, the payload
// or the repository is escaped, so a branch name or pull request title cannot inject Markdown or HTML, nor
// become a link; and the summary stays small however many events or labels there are.
import {
  RESOURCE_ID,
  RESOURCE_NAME,
  RESOURCE_ROLE,
  type Labels,
  type PrefectEvent,
} from '../event/schema.ts';

export type Outcome = 'emitted' | 'dry run' | 'skipped' | 'failed';

// Characters that start Markdown or HTML syntax, written as numeric entities: they render as themselves
// and cannot open a tag, a link, an image, emphasis, or a new table cell. `:` and `@` too, and the dot of
// `www.`, so that GitHub's autolinks cannot turn a URL or an address from untrusted text into a link.
const SPECIAL = /[&<>"'`|\\*_[\]()!~#{}$:@]|(?<=\bwww)\./gi;
// A cell longer than this is cut: a label value can be long, and a step's summary is capped at 1 MiB.
const MAX_CELL_CHARACTERS = 300;

export function escapeMarkdown(text: string): string {
  const chars = [...text];
  const cut = chars.length > MAX_CELL_CHARACTERS ? `${chars.slice(0, MAX_CELL_CHARACTERS).join('')}…` : text;
  return cut.replace(SPECIAL, (char) => `&#${char.charCodeAt(0)};`).replace(/\r?\n|\r/g, ' ');
}

// What a URL may hold and a Markdown link target may carry as is: letters, digits and the URL delimiters
// Markdown and HTML give no meaning to there.
const LINK_UNSAFE = /[^A-Za-z0-9\-._~:/?#@!$+,;=%]/gu;

/**
 * Our own link, built from a parsed URL, which may still hold what Markdown or HTML reads (a host keeps
 * quotes, backticks and braces; a path keeps quotes, parentheses and brackets): percent-encoded as UTF-8,
 * so the link stays one link to the same page, and cannot end early, open a tag or a code span, or break
 * the table.
 */
export function linkTarget(url: string): string {
  return url.replace(LINK_UNSAFE, (char) =>
    [...Buffer.from(char, 'utf8')]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
}

function resourceCell(resource: Labels): string {
  const id = escapeMarkdown(resource[RESOURCE_ID] ?? '');
  const name = resource[RESOURCE_NAME];
  return name ? `${id} (${escapeMarkdown(name)})` : id;
}

export const OUTCOME_TEXT: Record<Outcome, string> = {
  emitted: '✅ emitted',
  'dry run': '🧪 dry run: not sent',
  skipped: '⏭️ skipped: no API URL',
  failed: '❌ failed',
};

export interface SummaryFacts {
  event: PrefectEvent;
  outcome: Outcome;
  url?: string;
}

export function summaryMarkdown({ event, outcome, url }: SummaryFacts): string {
  const related = event.related
    .map((resource) => `${escapeMarkdown(resource[RESOURCE_ROLE] ?? '')}: ${resourceCell(resource)}`)
    .join('<br>');
  const rows: [string, string][] = [
    ['Outcome', OUTCOME_TEXT[outcome]],
    ['Event', escapeMarkdown(event.event)],
    ['Resource', resourceCell(event.resource)],
    ['Related', related || '—'],
    ['Id', event.id],
    ['Occurred', event.occurred],
    ['Follows', event.follows ?? '—'],
  ];
  if (url) rows.push(['Prefect', `[Open the event in Prefect](${linkTarget(url)})`]);
  return [
    `### Prefect event ${escapeMarkdown(event.event)}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    '',
  ].join('\n');
}

// Rows of the table of a step with several events; the rest are counted, so thousands of events stay readable.
export const MAX_SUMMARY_ROWS = 50;

export interface BatchSummaryFacts {
  events: PrefectEvent[];
  outcome: Outcome;
  /** How many of the events Prefect accepted (all when emitted, fewer when a later request failed). */
  emittedCount: number;
}

/** ` (3 of 5 emitted before it failed)` when a split batch failed after earlier requests were accepted. */
export function partlyEmitted(outcome: Outcome, emittedCount: number, total: number): string {
  return outcome === 'failed' && emittedCount > 0
    ? ` (${emittedCount} of ${total} emitted before it failed)`
    : '';
}

/** Several events of one step: the outcome, then a row an event for the first ones, then a count. */
export function batchSummaryMarkdown({ events, outcome, emittedCount }: BatchSummaryFacts): string {
  const shown = events.slice(0, MAX_SUMMARY_ROWS);
  const rest = events.length - shown.length;
  const counts = partlyEmitted(outcome, emittedCount, events.length);
  return [
    `### Prefect events: ${events.length}`,
    '',
    `${OUTCOME_TEXT[outcome]}${counts}`,
    '',
    '| Event | Resource | Id | Occurred |',
    '| --- | --- | --- | --- |',
    ...shown.map(
      (event) =>
        `| ${escapeMarkdown(event.event)} | ${resourceCell(event.resource)} | ${event.id} | ${event.occurred} |`,
    ),
    ...(rest > 0 ? ['', `…and ${rest} more event${rest === 1 ? '' : 's'}, not listed here.`] : []),
    '',
  ].join('\n');
}
