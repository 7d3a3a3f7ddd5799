// pull_request, pull_request_target, reviews, review comments and review threads: the pull request.
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE, type Labels } from '../event/schema.ts';
import { labels, record, text } from './labels.ts';
import type { WorkflowContext } from './workflow.ts';

export function pullRequestResource(context: WorkflowContext): Labels | undefined {
  const pr = record(context.payload.pull_request);
  const number = text(pr?.number);
  if (!pr || !number || !context.repository) return undefined;
  const head = record(pr.head);
  const base = record(pr.base);
  return labels({
    [RESOURCE_ID]: `github.pull-request.${context.repository}/${number}`,
    [RESOURCE_ROLE]: 'pull-request',
    [RESOURCE_NAME]: text(pr.title),
    'github.number': number,
    'github.url': text(pr.html_url),
    'github.head-ref': text(head?.ref),
    'github.head-sha': text(head?.sha),
    'github.base-ref': text(base?.ref),
  });
}
