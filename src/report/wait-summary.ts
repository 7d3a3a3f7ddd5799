// The job summary of the way back: one table, a row per action of each automation that fired on one of the
// step's events (a row for an event no automation fired on), with the flow run it created, its final state
// and a link. Every string that came from Prefect or the inputs is escaped as the event summary escapes it.
import type { UiLinks } from '../prefect/api.ts';
import { describeState } from '../prefect/flow-runs.ts';
import type { FiringReport, FlowRunRecord } from '../prefect/watch.ts';
import { escapeMarkdown, linkTarget, MAX_SUMMARY_ROWS } from './summary.ts';

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

/** A row an action of each firing, in the order of the events; a row for an event nothing fired on. */
export function waitSummaryRows(
  events: readonly { id: string; event: string }[],
  seen: { firings: readonly FiringReport[]; runs: readonly FlowRunRecord[] },
  links: UiLinks,
): WaitRow[] {
  const runs = new Map(seen.runs.map((run) => [run.id, run]));
  return events.flatMap((event): WaitRow[] => {
    const base = { event: event.event, eventId: event.id };
    const fired = seen.firings.filter((firing) => firing.eventId === event.id);
    if (fired.length === 0) return [{ ...base, automation: 'no automation fired' }];
    return fired.flatMap((firing): WaitRow[] => {
      const url = links.automation(firing.automationId);
      const automation = { ...base, automation: firing.automationName };
      const { actions } = firing;
      if (actions.length === 0) return [{ ...automation, ...(url && { url }) }];
      return actions.map((action) => {
        const run = action.flowRun && runs.get(action.flowRun.id);
        const link = (run && links.flowRun(run.id)) || url;
        return {
          ...automation,
          action: `${action.index + 1}. ${action.type}: ${action.outcome}`,
          ...(run && { flowRun: run.name }),
          ...(run?.stateType && { state: describeState(run) }),
          ...(link && { url: link }),
        };
      });
    });
  });
}

/** Our own link, its target made safe where the events' summary makes it so. */
const link = (url: string) => `[Open in Prefect](${linkTarget(url)})`;

export function waitSummaryMarkdown(title: string, rows: readonly WaitRow[]): string {
  // Rows shown; the rest are counted, as the events' table does.
  const shown = rows.slice(0, MAX_SUMMARY_ROWS);
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
