// run(): inputs -> event -> delivery -> report. The one place that talks to the runner and decides
// between failing the step and warning.
import * as core from '@actions/core';
import { context as github } from '@actions/github';
import { contextResources, asRelated, type WorkflowContext } from './context.ts';
import {
  buildEvent,
  decideFollows,
  EventError,
  MAX_RELATED_RESOURCES,
  uuidv7,
  type PrefectEvent,
} from './event.ts';
import { InputError, readSettings, type InputReader, type Settings } from './inputs.ts';
import { proxyCredentials } from './net/proxy.ts';
import { eventUiUrl, parseApiUrl } from './prefect/api.ts';
import { createHttpClient } from './prefect/client.ts';
import { secretsOf } from './prefect/secrets.ts';
import { summaryMarkdown, type Outcome } from './summary.ts';

const readInput: InputReader = (name) => core.getInput(name);

/**
 * Registers every credential given, as input or variable, with the runner before anything is logged, so
 * it masks them everywhere (the one in use is among them whichever wins).
 */
function maskCredentials(): void {
  const env = (variable: string) => (process.env[variable] ?? '').trim();
  const secrets = [
    ...secretsOf({ apiKey: readInput('api-key'), authString: readInput('auth-string') }),
    ...secretsOf({ apiKey: env('PREFECT_API_KEY'), authString: env('PREFECT_API_AUTH_STRING') }),
    ...secretsOf({ proxyAuth: proxyCredentials(process.env) }),
  ];
  for (const secret of new Set(secrets)) core.setSecret(secret);
}

function workflowContext(): WorkflowContext {
  return {
    serverUrl: github.serverUrl,
    repository: process.env.GITHUB_REPOSITORY ?? '',
    runId: github.runId,
    runNumber: github.runNumber,
    runAttempt: github.runAttempt,
    workflow: github.workflow ?? '',
    job: github.job ?? '',
    eventName: github.eventName ?? '',
    sha: github.sha ?? '',
    ref: github.ref ?? '',
    actor: github.actor ?? '',
    payload: github.payload as Record<string, unknown>,
  };
}

function assemble(settings: Settings, now: Date): PrefectEvent {
  const { workflowRun, others } = contextResources(workflowContext());
  let resource = settings.resource;
  const automatic = settings.githubContext ? [...others] : [];
  if (!resource) {
    if (!workflowRun) {
      throw new InputError(
        'resource',
        'is required outside a GitHub workflow run (no GITHUB_RUN_ID to name the run).',
      );
    }
    resource = workflowRun;
  } else if (settings.githubContext && workflowRun) {
    automatic.unshift(asRelated(workflowRun, 'workflow-run'));
  }
  const occurred = settings.occurred ?? now;
  let follows: string | null = null;
  if (settings.follows) {
    const decision = decideFollows(settings.follows, occurred);
    follows = decision.follows;
    if ('reason' in decision) core.notice(decision.reason);
  }
  try {
    return buildEvent({
      event: settings.event,
      resource,
      related: [...automatic, ...settings.related],
      payload: settings.payload,
      occurred,
      id: settings.id ?? uuidv7(now.getTime()),
      follows,
    });
  } catch (error) {
    throw error instanceof EventError ? blameInput(error, settings, automatic.length) : error;
  }
}

/** An event that breaks a server rule, told as the input behind it (the inputs were each fine alone). */
function blameInput(error: EventError, settings: Settings, automaticCount: number): InputError {
  if (error.field === 'related') {
    return new InputError(
      'related',
      `gives ${settings.related.length} resources; with the ${automaticCount} from the workflow context that ` +
        `is more than Prefect's limit of ${MAX_RELATED_RESOURCES} (github-context: false leaves those out).`,
    );
  }
  const input = error.field === 'payload' ? (settings.payloadFile ? 'payload-file' : 'payload') : error.field;
  return new InputError(input, `makes an event Prefect would not take. ${error.message}`);
}

async function deliver(settings: Settings, event: PrefectEvent): Promise<{ outcome: Outcome; url?: string }> {
  if (settings.dryRun) {
    core.info(`Dry run: this event would be sent${settings.apiUrl ? ` to ${settings.apiUrl}` : ''}:`);
    core.info(JSON.stringify(event, null, 2));
    return { outcome: 'dry run' };
  }
  if (!settings.apiUrl) {
    core.warning(
      'No Prefect API URL: set the api-url input or PREFECT_API_URL to send events. Nothing was sent ' +
        '(pull requests from forks get no secrets, so this step succeeds).',
    );
    return { outcome: 'skipped' };
  }
  core.startGroup(`Event ${event.event} (${event.id})`);
  core.info(JSON.stringify(event, null, 2));
  core.endGroup();
  try {
    const api = parseApiUrl(settings.apiUrl);
    const client = createHttpClient({
      api,
      apiKey: settings.apiKey,
      authString: settings.authString,
      retries: settings.retries,
      timeoutMs: settings.timeoutMs,
      debug: core.debug,
      names: { apiUrl: 'api-url', apiKey: 'api-key', authString: 'auth-string' },
    });
    const { attempts } = await client.send([event]);
    const url = eventUiUrl(api, event);
    core.info(
      `Emitted ${event.event} (${event.id}) to ${settings.apiUrl}` +
        `${attempts > 1 ? ` after ${attempts} attempts` : ''}${url ? `: ${url}` : '.'}`,
    );
    return url ? { outcome: 'emitted', url } : { outcome: 'emitted' };
  } catch (error) {
    const message = `Prefect did not accept the event: ${errorMessage(error)}`;
    if (settings.failOnError) core.setFailed(message);
    else core.warning(`${message} (fail-on-error is false, so the step succeeds).`);
    return { outcome: 'failed' };
  }
}

async function writeSummary(event: PrefectEvent, outcome: Outcome, url?: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return; // outside the runner there is no summary to write to
  try {
    await core.summary.addRaw(summaryMarkdown({ event, outcome, ...(url && { url }) })).write();
  } catch (error) {
    core.warning(`The job summary could not be written: ${errorMessage(error)}`);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function run(now: Date = new Date()): Promise<void> {
  try {
    maskCredentials();
    const settings = readSettings(readInput, process.env);
    const event = assemble(settings, now);
    core.setOutput('event-id', event.id);
    core.setOutput('occurred', event.occurred);
    core.setOutput('event', JSON.stringify(event));
    const { outcome, url } = await deliver(settings, event);
    core.setOutput('emitted', String(outcome === 'emitted'));
    core.setOutput('url', url ?? '');
    if (settings.summary) await writeSummary(event, outcome, url);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
