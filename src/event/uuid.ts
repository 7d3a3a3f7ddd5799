// Event ids as Prefect's client makes them: UUID v7, so ids sort by the time they were made; and, for
// events that report a fact recorded elsewhere (a GitHub job), a name-based UUID v5 of that fact, so that
// reporting it twice gives the same id and Prefect stores it once.
import { createHash } from 'node:crypto';
import { fillRandom } from './random-bytes.ts';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}

// RFC 9562 §6.2, method 1: a 12-bit counter in rand_a keeps ids made in the same millisecond in order.
const COUNTER_VALUES = 4096;

// Random bytes are drawn from the system for 256 ids at a time: one call an id cost a batch of 100,000
// events most of its time. From random-bytes.ts, not node:crypto, which a step that makes only random ids
// does not load. (uuidv5's SHA-1 does, in the steps that report a workflow run.)
const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let poolUsed = POOL_IDS;

/** 16 fresh random bytes, each handed out once: a view of the pool, to be used before the next call. */
function randomBytes16(): Uint8Array {
  if (poolUsed === POOL_IDS) {
    fillRandom(pool);
    poolUsed = 0;
  }
  const start = 16 * poolUsed++;
  return pool.subarray(start, start + 16);
}

/**
 * A UUID v7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. With `sequence` (the n-th id of one
 * step's batch) the counter takes rand_a, and ids sort in that order even within one millisecond.
 */
export function uuidv7(nowMs: number = Date.now(), sequence?: number): string {
  const bytes = randomBytes16();
  let time = nowMs + (sequence === undefined ? 0 : Math.floor(sequence / COUNTER_VALUES));
  if (sequence !== undefined) {
    const counter = sequence % COUNTER_VALUES;
    bytes[6] = counter >> 8;
    bytes[7] = counter & 0xff;
  }
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  return formatted(bytes, 0x70); // version 7
}

/** RFC 9562's namespace for names that are URLs (§6.6). */
export const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

/** A UUID v5 (RFC 9562 §5.5): the SHA-1 of the namespace's bytes and the name's UTF-8, version and variant set. */
export function uuidv5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  return formatted(hash.subarray(0, 16), 0x50); // version 5
}

/**
 * A random UUID (v4), from the same pool of random bytes: crypto.randomUUID fills a cache of its own on
 * first use, a quarter of a millisecond of a step that already has random bytes at hand.
 */
export function randomUuid(): string {
  return formatted(randomBytes16(), 0x40); // version 4
}

// The id's text is written into one buffer and read out as a single flat string: a batch formats 100,000 ids,
// where a Buffer, its hex and five slices an id took ~140 ms (measured cold, 100,000 ids kept: 55 ms now).
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const idText = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
// Where each byte's two digits go in the text.
const DIGITS_AT = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** The 16 bytes as a UUID of `version` (0x40, 0x50, 0x70), variant 10. */
function formatted(bytes: Uint8Array, version: number): string {
  bytes[6] = version | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  for (let index = 0; index < 16; index++) {
    const byte = bytes[index] ?? 0;
    const at = DIGITS_AT[index] ?? 0;
    idText[at] = HEX_DIGITS[byte >> 4] ?? 0;
    idText[at + 1] = HEX_DIGITS[byte & 0x0f] ?? 0;
  }
  return idText.toString('latin1');
}
