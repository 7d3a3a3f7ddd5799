// Reading untyped webhook payloads and writing labels: the helpers every context module shares.
import type { Labels } from '../event/schema.ts';

/** Builds labels from entries, leaving out the empty ones (a label Prefect would show as blank). */
export function labels(entries: Record<string, string | number | undefined>): Labels {
  const result: Labels = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value !== undefined && value !== '') result[key] = String(value);
  }
  return result;
}

/** The value as an object when it is one (payloads are untyped JSON). */
export function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A scalar as a label value (`7`, `true`); undefined for null, objects and arrays, which labels leave out. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
