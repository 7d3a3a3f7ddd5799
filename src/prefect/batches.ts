// A batch of events as consecutive request bodies, each a JSON array under the server's body cap, in order.
// Each event is serialised once here, and only the events of the body being built are held as text: a batch
// of thousands never exists as several whole copies at once.
import type { Labels, PrefectEvent } from '../event/schema.ts';

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
  const shared = new SharedRelated();
  for (const event of events) {
    const { text, bytes } = shared.serialised(event);
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

// The keys of an event as event/build.ts makes it, in their order.
const EVENT_KEYS: readonly (keyof PrefectEvent)[] = [
  'occurred',
  'event',
  'resource',
  'related',
  'payload',
  'id',
  'follows',
];

/**
 * Serialises events, writing the JSON of a related-resources list that events in a row share (a batch's
 * workflow context: one list for every event) once rather than once an event: most of each event's bytes,
 * 100,000 times over. The text is what JSON.stringify(event) gives, byte for byte.
 */
class SharedRelated {
  #list: readonly Labels[] | undefined;
  #text = '';
  #bytes = 0;

  serialised(event: PrefectEvent): { text: string; bytes: number } {
    if (event.related !== this.#list || !hasEventKeys(event)) {
      const text = JSON.stringify(event);
      this.#list = event.related;
      this.#text = '';
      return { text, bytes: Buffer.byteLength(text, 'utf8') };
    }
    if (this.#text === '') {
      this.#text = JSON.stringify(this.#list);
      this.#bytes = Buffer.byteLength(this.#text, 'utf8');
    }
    const head =
      `{"occurred":${JSON.stringify(event.occurred)},"event":${JSON.stringify(event.event)},` +
      `"resource":${JSON.stringify(event.resource)},"related":`;
    const tail =
      `,"payload":${JSON.stringify(event.payload)},"id":${JSON.stringify(event.id)},` +
      `"follows":${JSON.stringify(event.follows)}}`;
    return {
      text: head + this.#text + tail,
      bytes: Buffer.byteLength(head, 'utf8') + this.#bytes + Buffer.byteLength(tail, 'utf8'),
    };
  }
}

/** Whether the event has exactly an event's keys, in their order, none of them undefined (which JSON omits). */
function hasEventKeys(event: PrefectEvent): boolean {
  let index = 0;
  for (const key in event) {
    if (key !== EVENT_KEYS[index++] || event[key as keyof PrefectEvent] === undefined) return false;
  }
  return index === EVENT_KEYS.length;
}
