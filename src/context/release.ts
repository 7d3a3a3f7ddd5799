// release: the release, named by its tag (what workflows and URLs use), with its name and whether it is a prerelease.
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE, type Labels } from '../event/schema.ts';
import { labels, record, text } from './labels.ts';
import type { WorkflowContext } from './workflow.ts';

export function releaseResource(context: WorkflowContext): Labels | undefined {
  const release = record(context.payload.release);
  const tag = text(release?.tag_name);
  if (!release || !tag || !context.repository) return undefined;
  return labels({
    [RESOURCE_ID]: `github.release.${context.repository}/${tag}`,
    [RESOURCE_ROLE]: 'release',
    [RESOURCE_NAME]: text(release.name),
    'github.tag': tag,
    'github.prerelease': text(release.prerelease),
    'github.url': text(release.html_url),
  });
}
