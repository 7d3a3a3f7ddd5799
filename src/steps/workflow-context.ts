// The workflow's context as the runner gives it to a step: GITHUB_* variables and the trigger's webhook
// payload (GITHUB_EVENT_PATH). Read on first use only: the post step never needs it, and a payload can be
// hundreds of kilobytes to read and parse.
import type { WorkflowContext } from '../context/index.ts';
import { readBoundedFile } from '../inputs/bounded-file.ts';

export function readWorkflowContext(env: NodeJS.ProcessEnv): WorkflowContext {
  const whole = (name: string) => Number.parseInt(env[name] ?? '', 10) || 0;
  return {
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    repository: env.GITHUB_REPOSITORY ?? '',
    runId: whole('GITHUB_RUN_ID'),
    runNumber: whole('GITHUB_RUN_NUMBER'),
    runAttempt: whole('GITHUB_RUN_ATTEMPT'),
    workflow: env.GITHUB_WORKFLOW ?? '',
    job: env.GITHUB_JOB ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    payload: readPayload(env.GITHUB_EVENT_PATH),
  };
}

// GitHub caps a webhook payload at 25 MB and the runner writes it indented: far below this, which only stops
// a path to something else (a device, a /proc file) from filling memory.
const MAX_PAYLOAD_FILE_BYTES = 64 * 1024 * 1024;

/** The webhook payload; {} outside a workflow run (no GITHUB_EVENT_PATH, or no such file). */
function readPayload(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  const problem = (what: string) =>
    new Error(
      `GITHUB_EVENT_PATH names ${JSON.stringify(path)}, which ${what}: it should be the runner's webhook payload.`,
    );
  const text = readBoundedFile(path, MAX_PAYLOAD_FILE_BYTES);
  if (typeof text !== 'string') {
    if (text.problem === 'cannot read' && text.code === 'ENOENT') return {};
    if (text.problem === 'cannot read') throw problem(`cannot be read (${text.code})`);
    if (text.problem === 'directory') throw problem('is a directory');
    if (text.problem === 'not a regular file') throw problem('is not a regular file (a pipe or a device)');
    throw problem(`is more than ${MAX_PAYLOAD_FILE_BYTES} bytes, more than a webhook payload can be`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw problem('is not valid JSON');
  }
  return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : {};
}
