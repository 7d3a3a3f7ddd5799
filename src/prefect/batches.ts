// A batch of events as consecutive request bodies, each a JSON array under the server's body cap, in order.
// Each event is serialised once here, and only the events of the body being built are held as text: a batch
// of thousands never exists as several whole copies at once.
import type { PrefectEvent } from '../event/schema.ts';

export interface RequestBody {
  /** `[event,event,…]`, UTF-8. */
  body: Buffer;
  /** How many events it holds. */
  count: number;
}

/**
 * The events split into the fewest consecutive bodies of at most `maxBytes` each (one body while the whole
 * batch fits). An event too large to fit alone still gets a body of its own, for the caller to refuse.
 */
export function* requestBodies(events: readonly PrefectEvent[], maxBytes: number): Generator<RequestBody> {
  let parts: string[] = [];
  // '[' and ']', plus a comma between events.
  let size = 2;
  for (const event of events) {
    const text = JSON.stringify(event);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (parts.length > 0 && size + 1 + bytes > maxBytes) {
      yield toBody(parts);
      parts = [];
      size = 2;
    }
    size += (parts.length > 0 ? 1 : 0) + bytes;
    parts.push(text);
  }
  if (parts.length > 0) yield toBody(parts);
}

function toBody(parts: readonly string[]): RequestBody {
  return { body: Buffer.from(`[${parts.join(',')}]`, 'utf8'), count: parts.length };
}
