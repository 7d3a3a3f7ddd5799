// The job-end inputs: the name of the event the post step emits, and the job's status as the runner gives it.
import { parseEventName } from './scalars.ts';
import { InputError, quote } from './source.ts';

/** The statuses the runner gives `job.status`. */
const JOB_STATUSES = ['success', 'failure', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

const STATUS_PLACEHOLDER = '{status}';

/** The job-end event's name with `{status}` replaced: a name for each status Prefect can take. */
export function jobEndEventName(template: string, status: JobStatus): string {
  return template.replaceAll(STATUS_PLACEHOLDER, status);
}

/** Checks `job-end-event` as the longest name it can become, so the main step fails early on a bad one. */
export function parseJobEndEvent(input: string, text: string): string {
  const when = text.includes(STATUS_PLACEHOLDER) ? ` once ${STATUS_PLACEHOLDER} is replaced` : '';
  parseEventName(input, jobEndEventName(text, 'cancelled'), when);
  return text;
}

export function parseJobStatus(input: string, text: string): JobStatus {
  const status = JOB_STATUSES.find((known) => known === text.toLowerCase());
  if (!status) {
    throw new InputError(
      input,
      `must be the job's status, ${JOB_STATUSES.join(', ')} (leave it to its default, \${{ job.status }}), not ${quote(text)}.`,
    );
  }
  return status;
}
