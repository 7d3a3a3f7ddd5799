// The action's inputs (and their PREFECT_* fallbacks) -> Settings: what to emit, as event specs that know
// which input each part came from, and how to deliver. Orchestration only: each kind of value has its module.
import { MAX_EVENT_BYTES } from '../event/schema.ts';
import type { EventSpec } from '../event/spec.ts';
import { readCredentials, type Credentials, type InputReader } from './credentials.ts';
import { readEventBatch } from './events.ts';
import { readWorkspaceFile } from './files.ts';
import { parseRelated, parseResource } from './resource.ts';
import {
  MAX_RETRIES,
  MAX_TIMEOUT_SECONDS,
  parseApiUrl,
  parseBoolean,
  parseEventName,
  parseFollows,
  parseNumber,
  parseTimestampInput,
  parseUuid,
} from './scalars.ts';
import { InputError, inputLabel } from './source.ts';
import { parseObject } from './values.ts';

export type { InputReader } from './credentials.ts';

export interface Settings extends Credentials {
  /** What to emit, in order. */
  specs: EventSpec[];
  githubContext: boolean;
  /** Absent: nothing is sent, the step warns. No trailing slash. */
  apiUrl?: string;
  dryRun: boolean;
  failOnError: boolean;
  retries: number;
  timeoutMs: number;
  summary: boolean;
}

/** Reads and validates every input. Throws InputError for the first bad one. */
export function readSettings(read: InputReader, env: NodeJS.ProcessEnv): Settings {
  // `events` or `events-file` when given (with their conflicts checked), else the single `event`.
  const specs = readEventBatch(read, env) ?? [readEventSpec(read, env)];
  const credentials = readCredentials(read, env);
  const apiUrl = read('api-url') || (env.PREFECT_API_URL ?? '').trim();
  return {
    specs,
    githubContext: parseBoolean('github-context', read('github-context') || 'true'),
    ...(apiUrl !== '' && { apiUrl: parseApiUrl('api-url', apiUrl) }),
    ...credentials,
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
  if (event === '') {
    throw new InputError(
      'event',
      'is required (or "events" or "events-file" for several events): name the event, e.g. "acme.model.deployed".',
    );
  }
  return parseEventName('event', event);
}
