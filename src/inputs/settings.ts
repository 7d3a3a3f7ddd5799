// The action's inputs (and their PREFECT_* fallbacks) -> Settings: what to emit, as event specs that know
// which input each part came from, and how to deliver. Orchestration only: each kind of value has its module.
import { eventNameSchema, MAX_EVENT_BYTES, MAX_EVENT_NAME_LENGTH } from '../event/schema.ts';
import type { EventSpec } from '../event/spec.ts';
import type { PrefectApi } from '../prefect/api.ts';
import { readClientSettings, type ClientSettings } from './client-settings.ts';
import { readCredentials, type Credentials, type InputReader } from './credentials.ts';
import { readWorkspaceFile } from './files.ts';
import { parseRelated, parseResource } from './resource.ts';
import {
  MAX_RETRIES,
  MAX_TIMEOUT_SECONDS,
  parseApiUrlInput,
  parseBoolean,
  parseFollows,
  parseNumber,
  parseTimestampInput,
  parseUuid,
} from './scalars.ts';
import { InputError, inputLabel } from './source.ts';
import { parseObject } from './values.ts';

export type { InputReader } from './credentials.ts';

export interface Settings extends Credentials, ClientSettings {
  /** What to emit, in order. */
  specs: EventSpec[];
  githubContext: boolean;
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

/** Reads and validates every input. Throws InputError for the first bad one. */
export function readSettings(read: InputReader, env: NodeJS.ProcessEnv): Settings {
  const spec = readEventSpec(read, env);
  const credentials = readCredentials(read, env);
  const apiUrl = read('api-url') || (env.PREFECT_API_URL ?? '').trim();
  const uiUrl = (env.PREFECT_UI_URL ?? '').trim();
  const client = readClientSettings(env);
  return {
    specs: [spec],
    githubContext: parseBoolean('github-context', read('github-context') || 'true'),
    ...(apiUrl !== '' && { api: parseApiUrlInput('api-url', apiUrl) }),
    ...(uiUrl !== '' && { uiUrl }),
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
function readEventSpec(read: InputReader, env: NodeJS.ProcessEnv): EventSpec {
  const event = readEventName(read('event'));
  const payloadText = read('payload');
  const payloadFile = read('payload-file');
  // action.yml defaults `payload` to {}, so only a different value conflicts with payload-file.
  if (payloadFile !== '' && payloadText.replace(/\s/g, '') !== '{}' && payloadText !== '') {
    throw new InputError('payload-file', 'cannot be used together with "payload": give one of them.');
  }
  const payload =
    payloadFile !== ''
      ? parseObject(
          'payload-file',
          readWorkspaceFile(
            'payload-file',
            payloadFile,
            env.GITHUB_WORKSPACE || process.cwd(),
            MAX_EVENT_BYTES,
          ),
        )
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
  if (event === '') throw new InputError('event', 'is required: name the event, e.g. "acme.model.deployed".');
  const length = [...event].length; // characters as Prefect (Python) counts them, not UTF-16 units
  if (length > MAX_EVENT_NAME_LENGTH) {
    throw new InputError(
      'event',
      `is ${length} characters; Prefect allows at most ${MAX_EVENT_NAME_LENGTH}.`,
    );
  }
  const result = eventNameSchema.safeParse(event);
  if (!result.success) throw new InputError('event', `${result.error.issues[0]?.message ?? 'is invalid'}.`);
  return event;
}
