// The events as the step's log shows them: pretty JSON, every event of a small batch, the first ones of a
// large one (a log of 10,000 events of 30 lines each helps no one, and its text would be built in memory).

export const MAX_LOGGED_EVENTS = 20;

export function eventsForLog(events: readonly unknown[]): string {
  if (events.length === 1) return JSON.stringify(events[0], null, 2);
  const shown = JSON.stringify(events.slice(0, MAX_LOGGED_EVENTS), null, 2);
  const rest = events.length - MAX_LOGGED_EVENTS;
  return rest > 0
    ? `${shown}\n…and ${rest} more event${rest === 1 ? '' : 's'} (the event-ids output lists every id).`
    : shown;
}
