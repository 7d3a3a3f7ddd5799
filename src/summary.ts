// The job summary (Markdown) and the event's link in the Prefect UI. Every string from inputs, the payload
// or the repository is escaped, so a branch name or pull request title cannot inject Markdown or HTML.
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE, type Labels, type PrefectEvent } from './event.ts';

export type Outcome = 'emitted' | 'dry run' | 'skipped' | 'failed';

/**
 * The event's page in the Prefect UI: Cloud's app from a workspace API URL, or a self-hosted server's URL
 * without `/api`. Undefined when the API URL has neither shape.
 */
export function eventUiUrl(apiUrl: string, event: Pick<PrefectEvent, 'id' | 'occurred'>): string | undefined {
  const url = new URL(apiUrl.replace(/\/+$/, ''));
  const cloud = /^\/api\/accounts\/([^/]+)\/workspaces\/([^/]+)$/.exec(url.pathname);
  let ui: string;
  if (cloud && url.hostname.startsWith('api.')) {
    ui = `${url.protocol}//app.${url.host.slice('api.'.length)}/account/${cloud[1]}/workspace/${cloud[2]}`;
  } else if (url.pathname.endsWith('/api')) {
    ui = `${url.origin}${url.pathname.slice(0, -'/api'.length)}`;
  } else {
    return undefined;
  }
  return `${ui}/events/event/${event.occurred.slice(0, 10)}/${event.id}`;
}

// Characters that start Markdown or HTML syntax, written as numeric entities: they render as themselves
// and cannot open a tag, a link, an image, emphasis, or a new table cell.
const SPECIAL = /[&<>"'`|\\*_[\]()!~#{}$]/g;

export function escapeMarkdown(text: string): string {
  return text.replace(SPECIAL, (char) => `&#${char.charCodeAt(0)};`).replace(/\r?\n|\r/g, ' ');
}

function resourceCell(resource: Labels): string {
  const id = escapeMarkdown(resource[RESOURCE_ID] ?? '');
  const name = resource[RESOURCE_NAME];
  return name ? `${id} (${escapeMarkdown(name)})` : id;
}

const OUTCOME_TEXT: Record<Outcome, string> = {
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
  // Our own link, built from a parsed URL: only parentheses (ending the link) and pipes (ending the cell)
  // can still break the table, so they are percent-encoded.
  if (url)
    rows.push([
      'Prefect',
      `[Open the event in Prefect](${url.replace(/[()|]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)})`,
    ]);
  return [
    `### Prefect event ${escapeMarkdown(event.event)}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${value} |`),
    '',
  ].join('\n');
}
