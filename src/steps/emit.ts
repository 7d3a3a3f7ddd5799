// The pipeline every step shares: specs -> events -> delivery -> outputs and summary. The one place that
// decides between failing the step and warning; the main step and the post step both run it.
import { buildEvents, type EventContext } from '../event/build.ts';
import type { PrefectEvent } from '../event/schema.ts';
import type { EventSpec } from '../event/spec.ts';
import type { DeliverySettings } from '../inputs/settings.ts';
import { eventUiUrl, type PrefectApi } from '../prefect/api.ts';
import { createDryRunClient, createHttpClient, type ClientOptions } from '../prefect/client.ts';
import { DeliveryError } from '../prefect/errors.ts';
import { eventsForLog } from '../report/log.ts';
import { setDeliveryOutputs, setEventOutputs } from '../report/outputs.ts';
import {
  batchSummaryMarkdown,
  summaryMarkdown,
  type BatchSummaryFacts,
  type Outcome,
} from '../report/summary.ts';
import type { Runner } from './runner.ts';

export interface EmitResult {
  events: PrefectEvent[];
  outcome: Outcome;
  url?: string;
}

/** The job summary of several events, when the step has one of its own (a reported workflow run). */
export type Summarize = (facts: BatchSummaryFacts & { url?: string }) => string;

/** Builds every event (all or none: a bad spec throws before anything is sent), then delivers and reports. */
export async function emit(
  runner: Runner,
  specs: readonly EventSpec[],
  context: EventContext,
  settings: DeliverySettings,
  summarize?: Summarize,
): Promise<EmitResult> {
  const events = buildEvents(specs, context).map((built) => {
    if (built.notice) runner.notice(built.notice);
    return built.event;
  });
  setEventOutputs(runner.setOutput, events);
  const { outcome, url, emittedCount } = await deliver(runner, events, settings);
  setDeliveryOutputs(runner.setOutput, outcome === 'emitted', url);
  if (settings.summary) await writeSummary(runner, events, outcome, emittedCount, url, summarize);
  return url ? { events, outcome, url } : { events, outcome };
}

async function deliver(
  runner: Runner,
  events: PrefectEvent[],
  settings: DeliverySettings,
): Promise<{ outcome: Outcome; url?: string; emittedCount: number }> {
  const { api } = settings;
  if (settings.dryRun) {
    const described = events.length === 1 ? 'this event' : `these ${events.length} events`;
    await createDryRunClient((shown) => {
      runner.info(`Dry run: ${described} would be sent${api ? ` to ${api.base}` : ''}:`);
      runner.info(eventsForLog(shown));
    }).send(events);
    return { outcome: 'dry run', emittedCount: 0 };
  }
  if (!api) {
    runner.warning(
      'No Prefect API URL: set the api-url input or PREFECT_API_URL to send events. Nothing was sent ' +
        '(pull requests from forks get no secrets, so this step succeeds).',
    );
    return { outcome: 'skipped', emittedCount: 0 };
  }
  const last = events[events.length - 1] as PrefectEvent;
  const what = events.length === 1 ? `${last.event} (${last.id})` : `${events.length} events`;
  runner.group(events.length === 1 ? `Event ${what}` : what, eventsForLog(events));
  warnAboutClientSettings(runner, settings, api);
  try {
    const { attempts, requests } = await createHttpClient(clientOptions(runner, settings, api)).send(events);
    const url = eventUiUrl(api, last, settings.uiUrl);
    const how = [
      requests > 1 ? `in ${requests} requests` : '',
      attempts > requests ? `after ${attempts} attempts` : '',
    ].filter(Boolean);
    runner.info(
      `Emitted ${what} to ${api.base}${how.length > 0 ? ` ${how.join(' ')}` : ''}${url ? `: ${url}` : '.'}`,
    );
    const emittedCount = events.length;
    return url ? { outcome: 'emitted', url, emittedCount } : { outcome: 'emitted', emittedCount };
  } catch (error) {
    const message = `Prefect did not accept the event${events.length === 1 ? '' : 's'}: ${errorMessage(error)}`;
    if (settings.failOnError) runner.fail(message);
    else runner.warning(`${message.replace(/\.$/, '')} (fail-on-error is false, so the step succeeds).`);
    // Earlier requests of a split batch may have been accepted: the summary says how many.
    return { outcome: 'failed', emittedCount: error instanceof DeliveryError ? error.emittedCount : 0 };
  }
}

/** The client's settings from the step's: the same for sending and for reading back (steps/wait.ts). */
export function clientOptions(runner: Runner, settings: DeliverySettings, api: PrefectApi): ClientOptions {
  return {
    api,
    ...(settings.apiKey && { apiKey: settings.apiKey }),
    ...(settings.authString && { authString: settings.authString }),
    ...(settings.customHeaders && { customHeaders: settings.customHeaders }),
    ...(settings.tls && { tls: settings.tls }),
    retries: settings.retries,
    timeoutMs: settings.timeoutMs,
    env: runner.env,
    debug: runner.debug,
    names: { apiUrl: 'api-url', apiKey: 'api-key', authString: 'auth-string' },
  };
}

/** What Prefect's client settings change that a user should see: ignored headers, an unverified server. */
function warnAboutClientSettings(runner: Runner, settings: DeliverySettings, api: PrefectApi): void {
  const ignored = settings.ignoredHeaders ?? [];
  if (ignored.length > 0) {
    runner.warning(
      `PREFECT_CLIENT_CUSTOM_HEADERS sets ${ignored.join(', ')}, which the action sets itself; ` +
        `${ignored.length === 1 ? 'it is' : 'they are'} ignored, as Prefect's own client ignores them.`,
    );
  }
  if (settings.tls?.rejectUnauthorized === false && api.events.protocol === 'https:') {
    runner.warning(
      `PREFECT_API_TLS_INSECURE_SKIP_VERIFY is true: the certificate of ${api.events.host} is not verified, so ` +
        'anyone between here and the server could read the credentials.',
    );
  }
}

async function writeSummary(
  runner: Runner,
  events: PrefectEvent[],
  outcome: Outcome,
  emittedCount: number,
  url?: string,
  summarize?: Summarize,
): Promise<void> {
  const markdown = summarize
    ? summarize({ events, outcome, emittedCount, ...(url && { url }) })
    : events.length === 1
      ? summaryMarkdown({ event: events[0] as PrefectEvent, outcome, ...(url && { url }) })
      : batchSummaryMarkdown({ events, outcome, emittedCount });
  try {
    await runner.appendSummary(markdown);
  } catch (error) {
    runner.warning(`The job summary could not be written: ${errorMessage(error)}`);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
