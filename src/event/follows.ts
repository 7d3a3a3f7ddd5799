// The `follows` rule of Prefect's client: an event follows an earlier one only when the two occurred less
// than 5 minutes apart, in either order; farther apart, ordering by `occurred` is reliable and `follows`
// would only hold events back in the server's causal ordering.

// Prefect's client sets `follows` only when the two events are this close in time (TIGHT_TIMING).
const FOLLOWS_WINDOW_MS = 5 * 60 * 1000;

/** An earlier event to follow: its id, and when it occurred if known (from an `event` output). */
export interface EarlierEvent {
  id: string;
  occurred?: Date;
}

export type FollowsDecision = { follows: string } | { follows: null; reason: string };

export function decideFollows(earlier: EarlierEvent, occurred: Date): FollowsDecision {
  if (!earlier.occurred) return { follows: earlier.id };
  const apartMs = Math.abs(occurred.getTime() - earlier.occurred.getTime());
  if (apartMs < FOLLOWS_WINDOW_MS) return { follows: earlier.id };
  return {
    follows: null,
    reason:
      `"follows" was left out: event ${earlier.id} occurred ${describeDuration(apartMs)} apart from this one, ` +
      'and Prefect sets follows only for events less than 5 minutes apart (ordering by "occurred" suffices beyond that).',
  };
}

/** A span of time in the unit a person would use: 7 minutes, 5 hours, 3 days. */
export function describeDuration(ms: number): string {
  const minutes = ms / 60_000;
  const [amount, unit] =
    minutes < 120
      ? [minutes, 'minute']
      : minutes < 48 * 60
        ? [minutes / 60, 'hour']
        : [minutes / 1440, 'day'];
  const rounded = Math.round(amount);
  return `${rounded} ${unit}${rounded === 1 ? '' : 's'}`;
}
