// Judges an automation the way a Prefect server would take it as the body of POST /automations/: against the
// AutomationCreate schema of Prefect's published OpenAPI document (test/fixtures/prefect), plus the rules of the
// server's pydantic models that the schema cannot express (src/prefect/server/events/schemas/automations.py
// and src/prefect/server/events/actions.py at the commit in SOURCE.md).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;

// The schemas of Prefect's OpenAPI document that the tests need, extracted unchanged (fixtures/prefect/SOURCE.md).
const openApiPath = resolve(import.meta.dirname, '../fixtures/prefect/server-schemas.json');
const openApi = JSON.parse(readFileSync(openApiPath, 'utf8')) as {
  components: { schemas: Record<string, Json> };
};
const schemas = openApi.components.schemas;

// OpenAPI 3.1 schemas are JSON Schema 2020-12; moved under $defs, their refs point there.
const document = JSON.parse(
  JSON.stringify({ $id: 'prefect-openapi-server', $defs: schemas }).replaceAll(
    '#/components/schemas/',
    '#/$defs/',
  ),
) as Json;
// ajv-formats is CommonJS: its default export arrives wrapped when imported from ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
ajv.addSchema(document);
const validateCreate = ajv.getSchema('prefect-openapi-server#/$defs/AutomationCreate');

interface Named {
  name: string;
  schema: Json;
}

/** The schema of a trigger or action `type`, found by its `type` const ("event" -> EventTrigger). */
function schemaOfType(refs: string[], type: unknown): Named | undefined {
  for (const ref of refs) {
    const name = ref.replace('#/components/schemas/', '');
    const schema = schemas[name];
    const properties = (schema?.properties ?? {}) as Record<string, Json>;
    if (schema && properties.type?.const === type) return { name, schema };
  }
  return undefined;
}

const createProperties = (schemas.AutomationCreate?.properties ?? {}) as Record<string, Json>;
const refsOf = (union: Json | undefined): string[] =>
  ((union?.anyOf ?? []) as Json[]).map((member) => String(member.$ref));
const triggerRefs = refsOf(createProperties.trigger);
const actionRefs = refsOf(createProperties.actions?.items as Json | undefined);

/**
 * What the server's models would refuse, or silently misread, in a trigger: the server ignores keys it does not
 * know (a misspelt `match_related` would match every event) and takes an untyped trigger as whichever type fits.
 */
function triggerProblems(trigger: Json, where: string): string[] {
  const named = schemaOfType(triggerRefs, trigger.type);
  if (!named)
    return [`${where}.type must be one of event, compound, sequence (got ${JSON.stringify(trigger.type)})`];
  const problems = unknownKeys(trigger, named.schema, where);
  if (trigger.type === 'event') {
    const within = typeof trigger.within === 'number' ? trigger.within : 0;
    if (trigger.posture === 'Proactive' && within > 0 && within < 10)
      problems.push(`${where}.within must be at least 10 seconds for a Proactive trigger`);
    if (within < 0) problems.push(`${where}.within must not be negative`);
  } else {
    const children = (Array.isArray(trigger.triggers) ? trigger.triggers : []) as Json[];
    children.forEach((child, i) => problems.push(...triggerProblems(child, `${where}.triggers[${i}]`)));
    const require = trigger.require;
    if (typeof require === 'number' && (require < 1 || require > children.length))
      problems.push(`${where}.require must be between 1 and the number of triggers`);
  }
  return problems;
}

/** The same for an action; a run-deployment action names its deployment exactly when `source` is "selected". */
function actionProblems(action: Json, where: string): string[] {
  const named = schemaOfType(actionRefs, action.type);
  if (!named)
    return [`${where}.type is not an action type Prefect knows (got ${JSON.stringify(action.type)})`];
  const problems = unknownKeys(action, named.schema, where);
  if (
    action.type === 'run-deployment' ||
    action.type === 'pause-deployment' ||
    action.type === 'resume-deployment'
  ) {
    const selected = (action.source ?? 'selected') === 'selected';
    if (selected && !action.deployment_id)
      problems.push(`${where}.deployment_id is required with source "selected"`);
    if (!selected && action.deployment_id)
      problems.push(`${where}.deployment_id is not allowed with source "inferred"`);
  }
  return problems;
}

function unknownKeys(value: Json, schema: Json, where: string): string[] {
  const known = Object.keys((schema.properties ?? {}) as Json);
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => `${where}.${key} is not a field of ${String(schema.title)} (Prefect would ignore it)`);
}

export function schemaErrors(schemaName: string, value: unknown, path: string): string[] {
  const validate = ajv.getSchema(`prefect-openapi-server#/$defs/${schemaName}`);
  if (!validate) throw new Error(`${schemaName} not found in the OpenAPI document`);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${path}${e.instancePath} ${e.message ?? ''}`);
}

/**
 * The schema's complaints, told against the trigger or action type each part names: a failed `anyOf` would
 * otherwise list every member's complaints, most of them about types the part never meant to be.
 */
function focusedSchemaErrors(automation: Json): string[] {
  const errors = (validateCreate?.errors ?? []).filter((e) => e.instancePath === '');
  const named = (refs: string[], part: unknown, path: string): string[] => {
    const found = part && typeof part === 'object' ? schemaOfType(refs, (part as Json).type) : undefined;
    return found ? schemaErrors(found.name, part, path) : [];
  };
  const problems = errors.map((e) => `/ ${e.message ?? ''}`);
  problems.push(...named(triggerRefs, automation.trigger, '/trigger'));
  for (const list of ['actions', 'actions_on_trigger', 'actions_on_resolve'])
    if (Array.isArray(automation[list]))
      (automation[list] as unknown[]).forEach((action, i) =>
        problems.push(...named(actionRefs, action, `/${list}/${i}`)),
      );
  return problems;
}

/** Returns what Prefect would find wrong with this AutomationCreate body; [] when it would take it. */
export function automationProblems(body: unknown): string[] {
  if (!validateCreate) throw new Error('AutomationCreate not found in the OpenAPI document');
  if (!validateCreate(body)) {
    const all = (validateCreate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
    const focused = body && typeof body === 'object' ? focusedSchemaErrors(body as Json) : [];
    return focused.length > 0 ? focused : all;
  }
  const automation = body as Json;
  const problems = triggerProblems(automation.trigger as Json, 'trigger');
  for (const list of ['actions', 'actions_on_trigger', 'actions_on_resolve'])
    ((automation[list] ?? []) as Json[]).forEach((action, i) =>
      problems.push(...actionProblems(action, `${list}[${i}]`)),
    );
  return problems;
}

// The fields a prefect.yaml trigger carries for its automation and its run-deployment action rather than for
// the trigger (BaseDeploymentTrigger in src/prefect/events/schemas/deployment_triggers.py).
const automationFields = ['name', 'description', 'enabled'];
const actionFields = ['parameters', 'job_variables', 'schedule_after'];

/**
 * A trigger as Prefect's client fills it in: without a `type`, one with `triggers` is compound (with `require`)
 * or sequence, any other an event trigger, whose `posture` is "Reactive" unless given.
 */
function withClientDefaults(entry: Json): Json {
  const inferred = 'triggers' in entry ? ('require' in entry ? 'compound' : 'sequence') : 'event';
  const trigger: Json = { type: inferred, ...entry };
  if (trigger.type === 'event') trigger.posture ??= 'Reactive';
  if (Array.isArray(trigger.triggers))
    trigger.triggers = (trigger.triggers as Json[]).map(withClientDefaults);
  return trigger;
}

/**
 * The AutomationCreate body `prefect deploy` sends for the `index`th (from 1) entry of a deployment's
 * `triggers:` (DeploymentTrigger.as_automation): the client's defaults (`type: event`, `posture: Reactive`)
 * filled in, and a run-deployment action for the deployment, whose id is only known once it is deployed.
 */
export function automationOfDeploymentTrigger(entry: Json, deploymentName: string, index: number): Json {
  const notTrigger = new Set([...automationFields, ...actionFields]);
  const trigger = withClientDefaults(
    Object.fromEntries(Object.entries(entry).filter(([field]) => !notTrigger.has(field))),
  );
  const action: Json = {
    type: 'run-deployment',
    source: 'selected',
    deployment_id: '00000000-0000-0000-0000-000000000000',
  };
  for (const field of ['parameters', 'job_variables']) if (field in entry) action[field] = entry[field];
  // The client sends a duration in seconds; an ISO 8601 string ("PT2H") is its own to convert.
  if (typeof entry.schedule_after === 'number') action.schedule_after = entry.schedule_after;
  return {
    name: entry.name ?? `${deploymentName}__automation_${index}`,
    description: entry.description ?? '',
    enabled: entry.enabled ?? true,
    trigger,
    actions: [action],
    owner_resource: 'prefect.deployment.00000000-0000-0000-0000-000000000000',
  };
}
