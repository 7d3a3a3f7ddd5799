// GitHub's webhook payload examples (npm @octokit/webhooks-examples, a devDependency) for the events that can
// trigger a workflow: real payloads for the tests, and for the made-up runs of the local run's --trigger.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

export type Payload = Record<string, unknown>;
interface Definition {
  name: string;
  examples: Payload[];
}

const packageDir = dirname(createRequire(import.meta.url).resolve('@octokit/webhooks-examples/package.json'));

/** github.com's examples, then those of each GitHub Enterprise Server version the package has. */
export const SOURCES = ['api.github.com', 'ghes-31', 'ghes-32', 'ghes-33', 'ghes-34', 'ghes-35'];

/**
 * The events of GitHub's "Events that trigger workflows", each with the webhook whose examples give its
 * payload. Differences: pull_request_target runs get the pull_request payload; registry_package is
 * published under its newer webhook name `package`. Not here: `schedule` has no webhook (its payload is
 * the runner's own) and `workflow_call` runs see the calling workflow's event name and payload.
 */
export const TRIGGERS: Record<string, string> = {
  branch_protection_rule: 'branch_protection_rule',
  check_run: 'check_run',
  check_suite: 'check_suite',
  create: 'create',
  delete: 'delete',
  deployment: 'deployment',
  deployment_status: 'deployment_status',
  discussion: 'discussion',
  discussion_comment: 'discussion_comment',
  fork: 'fork',
  gollum: 'gollum',
  issue_comment: 'issue_comment',
  issues: 'issues',
  label: 'label',
  merge_group: 'merge_group',
  milestone: 'milestone',
  page_build: 'page_build',
  public: 'public',
  pull_request: 'pull_request',
  pull_request_review: 'pull_request_review',
  pull_request_review_comment: 'pull_request_review_comment',
  pull_request_review_thread: 'pull_request_review_thread',
  pull_request_target: 'pull_request',
  push: 'push',
  registry_package: 'package',
  release: 'release',
  repository_dispatch: 'repository_dispatch',
  status: 'status',
  watch: 'watch',
  workflow_dispatch: 'workflow_dispatch',
  workflow_run: 'workflow_run',
};

const loaded = new Map<string, Definition[]>();

/** The examples of one webhook from one source; [] when that source has none. */
export function examples(source: string, webhook: string): Payload[] {
  let definitions = loaded.get(source);
  if (!definitions) {
    definitions = JSON.parse(readFileSync(resolve(packageDir, source, 'index.json'), 'utf8')) as Definition[];
    loaded.set(source, definitions);
  }
  return definitions.find((definition) => definition.name === webhook)?.examples ?? [];
}

/** A copy of the first github.com example of a webhook that matches (the first of all by default). */
export function example(webhook: string, matches: (payload: Payload) => boolean = () => true): Payload {
  const found = examples('api.github.com', webhook).find(matches);
  if (!found) throw new Error(`no matching ${webhook} example`);
  return structuredClone(found);
}
