// The post step: at the end of the job, whatever its outcome, the job-end event of DESIGN §1.3, through the
// same pipeline as the main step. It reads only job-end-event, job-status and the delivery inputs.
import { decideFollows } from '../event/follows.ts';
import { originOf, type EventSpec } from '../event/spec.ts';
import { credentialSecrets } from '../inputs/credentials.ts';
import { jobEndEventName, parseJobEndEvent, parseJobStatus, type JobStatus } from '../inputs/job-end.ts';
import { inputLabel } from '../inputs/source.ts';
import { readDeliverySettings } from '../inputs/settings.ts';
import { emit, errorMessage } from './emit.ts';
import type { Runner } from './runner.ts';
import { loadStartOfJob, STATE_LABEL, type StartOfJob } from './state.ts';

export async function finish(runner: Runner, now: Date = new Date()): Promise<void> {
  try {
    // The main step saves its event only when job-end-event is set and the event was built.
    const start = loadStartOfJob(runner);
    if (!start) return;
    for (const secret of credentialSecrets(runner.input, runner.env)) runner.mask(secret);
    const template = parseJobEndEvent('job-end-event', runner.input('job-end-event'));
    const status = parseJobStatus('job-status', runner.input('job-status'));
    const settings = readDeliverySettings(runner.input, runner.env);
    // The main step already warned that nothing is sent without an API URL; once is enough.
    if (!settings.api && !settings.dryRun) return;
    await emit(
      runner,
      [jobEndSpec(start, template, status, now)],
      { related: [], relateWorkflowRun: false, now },
      settings,
    );
  } catch (error) {
    runner.fail(errorMessage(error));
  }
}

/**
 * The job-end event: the start event's resource and related resources (so Prefect's triggers can match
 * start and end by resource id), its status, when the job started and how long it took, and `follows` the
 * start under Prefect's 5-minute rule, and only when Prefect accepted the start: it holds an event whose
 * leader it never saw for up to 15 minutes, which would delay the automations on a failed deploy in exactly
 * that case. Otherwise start_event_id and the shared resource tie the two.
 */
export function jobEndSpec(start: StartOfJob, template: string, status: JobStatus, now: Date): EventSpec {
  const started = new Date(start.occurred);
  const earlier = { id: start.id, occurred: started };
  const within = start.emitted && decideFollows(earlier, now).follows !== null;
  return {
    event: jobEndEventName(template, status),
    resource: start.resource,
    related: start.related,
    payload: {
      status,
      started: start.occurred,
      duration_seconds: Math.max(0, (now.getTime() - started.getTime()) / 1000),
      start_event_id: start.id,
    },
    ...(within && { follows: earlier }),
    // The name is the input's; the resources are the saved state's, so an error about them names the state.
    origin: { ...originOf(inputLabel('job-end-event')), resource: STATE_LABEL, related: STATE_LABEL },
  };
}
