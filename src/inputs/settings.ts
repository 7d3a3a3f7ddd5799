// The action's inputs (and their PREFECT_* fallbacks) -> Settings: what to emit, as event specs that know
// which input each part came from, and how to deliver. Orchestration only: each kind of value has its module.
import { MAX_EVENT_BYTES } from '../event/schema.ts';
import type { EventSpec } from '../event/spec.ts';
import { proxyFor } from '../net/proxy.ts';
import { controlCharacterIn, type PrefectApi } from '../prefect/api.ts';
import { ClientSettingError, readClientSettings, type ClientSettings } from './client-settings.ts';
import { credentialSecrets, readCredentials, type Credentials, type InputReader } from './credentials.ts';
import { readEventBatch } from './events.ts';
import { parseJobEndEvent } from './job-end.ts';
import { parseRelated, parseResource } from './resource.ts';
import {
  MAX_RETRIES,
  MAX_TIMEOUT_SECONDS,
  parseApiUrlInput,
  parseBoolean,
  parseEventName,
  parseFollows,
  parseNumber,
  parseTimestampInput,
  parseUuid,
} from './scalars.ts';
import { InputError, inputLabel, quote } from './source.ts';
import { readTemplatedFile, type FileContext } from './templated-file.ts';
import { isDefaultPayload, objectOf, parseObject } from './values.ts';

export type { InputReader } from './credentials.ts';

/** How to deliver events: what the main step and the post step both read. */
export interface DeliverySettings extends Credentials, ClientSettings {
  /** Absent: nothing is sent, the step warns. */
  api?: PrefectApi;
  /** PREFECT_UI_URL: where links to events point instead of the UI derived from the API URL. */
  uiUrl?: string;
  dryRun: boolean;
  failOnError: boolean;
  retries: number;
  timeoutMs: number;
  summary: boolean;
}

export interface Settings extends DeliverySettings {
  /** What to emit, in order. */
  specs: EventSpec[];
  githubContext: boolean;
  /** The post step's event name, `{status}` still in it; absent: no event at the job's end. */
  jobEndEvent?: string;
}

/**
 * Reads and validates every input of the main step. Throws InputError for the first bad one, and
 * YamlParserNeeded when some text is not JSON and the YAML parser is not loaded yet (load it, call again).
 * `eventPayload` is the trigger's webhook payload, which templated files reach as `github.event`;
 * `secrets`, every credential (the caller has them already, to mask them), which no file may receive.
 */
export function readSettings(
  read: InputReader,
  env: NodeJS.ProcessEnv,
  eventPayload: Record<string, unknown> = {},
  secrets: readonly string[] = credentialSecrets(read, env),
): Settings {
  const files: FileContext = { workspace: env.GITHUB_WORKSPACE || process.cwd(), env, eventPayload, secrets };
  // `events` or `events-file` when given (with their conflicts checked), else the single `event`.
  const specs = readEventBatch(read, files) ?? [readEventSpec(read, files)];
  const jobEndEvent = read('job-end-event');
  return {
    specs,
    githubContext: readGithubContext(read),
    ...(jobEndEvent !== '' && { jobEndEvent: parseJobEndEvent('job-end-event', jobEndEvent) }),
    ...readDeliverySettings(read, env),
  };
}

/** `github-context`: whether the workflow's context is added to the events (action.yml's default: true). */
export function readGithubContext(read: InputReader): boolean {
  return parseBoolean('github-context', read('github-context') || 'true');
}

/** PREFECT_API_URL, when the api-url input is empty; its errors name the variable the user set. */
function apiUrlFromEnv(value: string | undefined): PrefectApi | undefined {
  const text = (value ?? '').trim();
  if (text === '') return undefined;
  try {
    return parseApiUrlInput('PREFECT_API_URL', text);
  } catch (error) {
    if (error instanceof InputError) throw new ClientSettingError(`PREFECT_API_URL ${error.problem}`);
    throw error;
  }
}

/** The delivery inputs alone: the post step reads these, and not the main step's event inputs again. */
export function readDeliverySettings(read: InputReader, env: NodeJS.ProcessEnv): DeliverySettings {
  const credentials = readCredentials(read, env);
  const apiUrlInput = read('api-url');
  const uiUrl = (env.PREFECT_UI_URL ?? '').trim();
  const client = readClientSettings(env);
  const api =
    apiUrlInput !== '' ? parseApiUrlInput('api-url', apiUrlInput) : apiUrlFromEnv(env.PREFECT_API_URL);
  // A proxy variable the action cannot follow is a setting to fix, not a delivery to retry or excuse: it
  // fails the step with fail-on-error false too, and in a dry run.
  if (api) proxyFor(api.events, env);
  return {
    ...(api && { api }),
    ...(uiUrl !== '' && { uiUrl: parseUiUrl(uiUrl) }),
    ...credentials,
    ...client,
    dryRun: parseBoolean('dry-run', read('dry-run') || 'false'),
    failOnError: parseBoolean('fail-on-error', read('fail-on-error') || 'true'),
    retries: parseNumber('retries', read('retries') || '3', 0, MAX_RETRIES, true),
    timeoutMs: parseNumber('timeout', read('timeout') || '10', 0, MAX_TIMEOUT_SECONDS, false) * 1000,
    summary: parseBoolean('summary', read('summary') || 'true'),
  };
}

/** The single event of the `event`, `resource`, `related`, `payload` … inputs. */
function readEventSpec(read: InputReader, files: FileContext): EventSpec {
  const event = readEventName(read('event'));
  const payloadText = read('payload');
  const payloadFile = read('payload-file');
  if (payloadFile !== '' && !isDefaultPayload(payloadText)) {
    throw new InputError('payload-file', 'cannot be used together with "payload": give one of them.');
  }
  const payload =
    payloadFile !== ''
      ? objectOf('payload-file', readTemplatedFile('payload-file', payloadFile, files, MAX_EVENT_BYTES))
      : parseObject('payload', payloadText || '{}');
  const resource = read('resource');
  const occurred = read('occurred');
  const id = read('id');
  const follows = read('follows');
  return {
    event,
    ...(resource !== '' && { resource: parseResource('resource', resource) }),
    related: parseRelated('related', read('related')),
    payload,
    ...(occurred !== '' && { occurred: parseTimestampInput('occurred', occurred) }),
    ...(id !== '' && { id: parseUuid('id', id) }),
    ...(follows !== '' && { follows: parseFollows('follows', follows) }),
    origin: {
      event: inputLabel('event'),
      resource: inputLabel('resource'),
      related: inputLabel('related'),
      payload: inputLabel(payloadFile !== '' ? 'payload-file' : 'payload'),
      occurred: inputLabel('occurred'),
      id: inputLabel('id'),
      follows: inputLabel('follows'),
    },
  };
}

function readEventName(event: string): string {
  if (event === '') {
    throw new InputError(
      'event',
      'is required (or "events" or "events-file" for several events): name the event, e.g. "acme.model.deployed".',
    );
  }
  return parseEventName('event', event);
}

const UI_EXAMPLE = 'https://app.prefect.cloud/account/…/workspace/…';

/**
 * PREFECT_UI_URL, the base of links to events, as Prefect's own client takes it: an http(s) URL, given back
 * parsed and without a trailing slash, so the links are made of the URL and not of the raw text. Links reach
 * the log, the url output and the job summary, so credentials are refused as in api-url; and a query or
 * fragment would swallow the path the links add.
 */
function parseUiUrl(text: string): string {
  const problem = (clause: string) => new ClientSettingError(`PREFECT_UI_URL ${clause}`);
  const control = controlCharacterIn(text);
  if (control) throw problem(`must not hold ${control}: give one http(s) URL such as ${UI_EXAMPLE}.`);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw problem(`must be an http(s) URL such as ${UI_EXAMPLE}, not ${quote(text)}.`);
  }
  if (url.username || url.password) {
    throw problem(
      'must not hold credentials: links to events are shown in the log, the url output and the job summary; ' +
        'give the UI URL without "user:password@".',
    );
  }
  // The text, not url.search/url.hash: a bare "?" or "#" leaves both empty.
  if (/[?#]/.test(text)) {
    throw problem(`must not have a query or fragment: give the UI's base URL only, such as ${UI_EXAMPLE}.`);
  }
  return url.href.replace(/\/+$/, '');
}
