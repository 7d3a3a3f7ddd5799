// Validates request bodies against Prefect's published Event schema (test/fixtures/prefect) plus the server
// rules the schema cannot express (SOURCE.md), the way the server would judge what this action sends.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// Extracted from Prefect's OpenAPI document (fixtures/prefect/SOURCE.md).
const schemaPath = resolve(import.meta.dirname, '../fixtures/prefect/event.schema.json');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
// ajv-formats is CommonJS: its default export arrives wrapped when imported from ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
ajv.addSchema(schema);
const validateBody = ajv.getSchema('prefect-event.schema.json#/$defs/CreateEventsRequestBody');

/** Returns the problems the Prefect server would find with a POST /events body; [] when it is valid. */
export function serverProblems(body: string): string[] {
  const events = JSON.parse(body) as unknown;
  if (!validateBody) throw new Error('schema not loaded');
  if (!validateBody(events)) return (validateBody.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  const problems: string[] = [];
  for (const [index, event] of (events as Record<string, unknown>[]).entries()) {
    const resource = event.resource as Record<string, string>;
    const related = (event.related ?? []) as Record<string, string>[];
    if (!resource['prefect.resource.id']) problems.push(`[${index}].resource has no prefect.resource.id`);
    if (Object.keys(resource).length > 500) problems.push(`[${index}].resource has over 500 labels`);
    related.forEach((r, i) => {
      if (!r['prefect.resource.id']) problems.push(`[${index}].related[${i}] has no prefect.resource.id`);
      if (!r['prefect.resource.role']) problems.push(`[${index}].related[${i}] has no prefect.resource.role`);
      if (Object.keys(r).length > 500) problems.push(`[${index}].related[${i}] has over 500 labels`);
    });
    if (related.length > 100) problems.push(`[${index}] has over 100 related resources`);
    if ([...String(event.event)].length > 1024) problems.push(`[${index}].event is over 1024 characters`);
    if (Buffer.byteLength(JSON.stringify(event)) > 1_500_000)
      problems.push(`[${index}] is over 1,500,000 bytes`);
  }
  return problems;
}
