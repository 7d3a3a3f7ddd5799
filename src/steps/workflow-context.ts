// The workflow's context as the runner gives it to a step: GITHUB_* variables and the trigger's webhook
// payload (GITHUB_EVENT_PATH). Read on first use only: the post step never needs it, and a payload can be
// hundreds of kilobytes to read and parse.
import type { WorkflowContext } from '../context/index.ts';

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

/** The webhook payload; {} outside a workflow run (no GITHUB_EVENT_PATH, or no such file). */
function readPayload(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  const { existsSync, readFileSync } = process.getBuiltinModule('node:fs');
  if (!existsSync(path)) return {};
  const payload = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : {};
}
