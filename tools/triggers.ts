// The made-up run of a trigger, for the local run's --trigger: GitHub's example payload of that event (real,
// from tools/webhook-examples.ts) and the GITHUB_* variables the runner would set beside it, taken from the
// payload so the two agree (repository, actor, ref, commit).
import { labels, record, text } from '../src/context/labels.ts';
import { example, TRIGGERS, type Payload } from './webhook-examples.ts';

type Variables = Record<string, string>;

export interface TriggerRun {
  eventName: string;
  payload: Payload;
  /** GITHUB_* variables over the runner sandbox's made-up push run. */
  context: Variables;
}

/** Every event name --trigger knows: the webhooks that trigger workflows, and `schedule`. */
export const TRIGGER_NAMES = [...Object.keys(TRIGGERS), 'schedule'].sort();

/** A scheduled run's payload as the runner writes it: the cron and the workflow file, around a repository. */
function schedulePayload(): Payload {
  const { repository, organization, sender } = example('push');
  return {
    schedule: '30 5 * * 1-5',
    workflow: '.github/workflows/nightly.yml',
    repository,
    organization,
    sender,
  };
}

/** The run of `name` (an event name of TRIGGER_NAMES); throws a one-sentence Error naming the known ones. */
export function triggerRun(name: string): TriggerRun {
  const webhook = TRIGGERS[name];
  if (webhook === undefined && name !== 'schedule') {
    throw new Error(
      `--trigger ${name} is not an event that triggers workflows: expected one of ${TRIGGER_NAMES.join(', ')}.`,
    );
  }
  const payload = webhook === undefined ? schedulePayload() : example(webhook);
  return { eventName: name, payload, context: payloadContext(name, payload) };
}

/**
 * The GITHUB_* variables the runner derives from a payload (GitHub's "Events that trigger workflows" says which
 * ref and commit each event runs on); those the payload does not tell (say the commit of a release) are left
 * to the made-up run.
 */
export function payloadContext(eventName: string, payload: Payload): Variables {
  const repository = record(payload.repository);
  const pullRequest = record(payload.pull_request);
  const actor = text(record(payload.sender)?.login);
  const sha =
    text(payload.after) ??
    text(record(payload.deployment)?.sha) ??
    text(record(payload.workflow_run)?.head_sha) ??
    (eventName === 'pull_request' ? text(pullRequest?.merge_commit_sha) : undefined);
  const ref = refOf(eventName, payload);
  // labels() leaves out what the payload does not tell.
  return labels({
    GITHUB_REPOSITORY: text(repository?.full_name),
    GITHUB_REPOSITORY_OWNER: text(record(repository?.owner)?.login),
    GITHUB_ACTOR: actor,
    GITHUB_TRIGGERING_ACTOR: actor,
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: ref?.replace(/^refs\/(heads|tags|pull)\//, ''),
    GITHUB_REF_TYPE: ref && (ref.startsWith('refs/tags/') ? 'tag' : 'branch'),
    GITHUB_HEAD_REF: text(record(pullRequest?.head)?.ref),
    GITHUB_BASE_REF: text(record(pullRequest?.base)?.ref),
  });
}

/** The ref the run is on: the payload's own, a pull request's merge ref, a release's tag, or the default branch. */
function refOf(eventName: string, payload: Payload): string | undefined {
  const ref = text(payload.ref);
  if (ref?.startsWith('refs/')) return ref;
  const number = text(record(payload.pull_request)?.number);
  if (eventName.startsWith('pull_request') && eventName !== 'pull_request_target' && number) {
    return `refs/pull/${number}/merge`;
  }
  const tag = text(record(payload.release)?.tag_name);
  if (eventName === 'release' && tag) return `refs/tags/${tag}`;
  const branch = text(record(payload.repository)?.default_branch);
  return branch && `refs/heads/${branch}`;
}
