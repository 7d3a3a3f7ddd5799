// Refreshes test/fixtures/prefect/server-schemas.json from the OpenAPI document of Prefect's server
// (docs/v3/api-ref/rest-api/server/schema.json in PrefectHQ/prefect): the schemas the tests judge requests
// and answers by, and every schema they reference, copied unchanged. See test/fixtures/prefect/SOURCE.md.
//
// Usage: node scripts/extract-prefect-schemas.mjs PATH/TO/schema.json
import { readFileSync, writeFileSync } from 'node:fs';

const ROOTS = [
  'AutomationCreate', // the body of POST /automations/ (the README's automations are judged by it)
  'Automation', // GET /automations/{id}
  'Body_read_events_events_filter_post', // POST /events/filter
  'EventPage', // its answer
  'FlowRun', // GET /flow_runs/{id}
  'Body_read_flow_runs_flow_runs_filter_post', // POST /flow_runs/filter
  'Body_read_logs_logs_filter_post', // POST /logs/filter
  'Log', // its answer's items
];

const [source] = process.argv.slice(2);
if (!source) {
  console.error('usage: node scripts/extract-prefect-schemas.mjs PATH/TO/openapi-schema.json');
  process.exit(2);
}
const schemas = JSON.parse(readFileSync(source, 'utf8')).components.schemas;
const kept = {};
const pending = [...ROOTS];
while (pending.length > 0) {
  const name = pending.pop();
  if (kept[name]) continue;
  if (!schemas[name]) throw new Error(`${source} has no schema ${name}`);
  kept[name] = schemas[name];
  for (const [, ref] of JSON.stringify(schemas[name]).matchAll(/"#\/components\/schemas\/([^"]+)"/g))
    pending.push(ref);
}
const sorted = Object.fromEntries(
  Object.keys(kept)
    .sort()
    .map((name) => [name, kept[name]]),
);
writeFileSync(
  'test/fixtures/prefect/server-schemas.json',
  JSON.stringify({ components: { schemas: sorted } }, null, 2) + '\n',
);
console.log(`test/fixtures/prefect/server-schemas.json: ${Object.keys(sorted).length} schemas`);
