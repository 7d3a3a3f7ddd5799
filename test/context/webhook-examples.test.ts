// Every example payload GitHub publishes for the events that trigger workflows, as the runner would hand it
// to this action: the context's resources must make events Prefect's schema and server rules accept
// (DESIGN §1.6), and each trigger must add its own resource, and only its own.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contextResources } from '../../src/context/index.ts';
import { asRelated } from '../../src/event/build.ts';
import { buildEvent } from '../../src/event/build.ts';
import type { Labels } from '../../src/event/schema.ts';
import { originOf } from '../../src/event/spec.ts';
import { serverProblems } from '../support/prefect-schema.ts';
import { examples, runnerContext, SOURCES, TRIGGERS } from '../support/webhook-examples.ts';

/** The role of the resource each trigger adds after commit, repository and actor. */
const TRIGGER_ROLE: Record<string, string> = {
  deployment: 'deployment',
  deployment_status: 'deployment',
  release: 'release',
  workflow_run: 'triggering-workflow-run',
  pull_request: 'pull-request',
  pull_request_target: 'pull-request',
  pull_request_review: 'pull-request',
  pull_request_review_comment: 'pull-request',
  pull_request_review_thread: 'pull-request',
};

const LABEL_KEY = /^(prefect\.resource\.(id|role|name)|github(\.[a-z0-9]+(-[a-z0-9]+)*)+)$/;

function event(resource: Labels, related: Labels[]) {
  return buildEvent(
    {
      event: 'acme.model.deployed',
      resource,
      related,
      payload: {},
      occurred: new Date('2026-01-31T12:00:00Z'),
      origin: originOf('test'),
    },
    { related: [], relateWorkflowRun: false, now: new Date('2026-01-31T12:00:00Z') },
  ).event;
}

test('github.com has examples of every event that triggers workflows (a renamed webhook would hide one)', () => {
  for (const [eventName, webhook] of Object.entries(TRIGGERS)) {
    assert.ok(examples('api.github.com', webhook).length > 0, `${eventName} (${webhook})`);
  }
});

for (const source of SOURCES) {
  describe(`webhook examples of ${source}`, () => {
    for (const [eventName, webhook] of Object.entries(TRIGGERS)) {
      const payloads = examples(source, webhook);
      // An older GitHub Enterprise Server may have no example of a newer event: nothing to test there.
      if (payloads.length === 0) continue;
      const count = `${payloads.length} example${payloads.length === 1 ? '' : 's'}`;
      test(`${eventName}: ${count}, each making events Prefect accepts`, () => {
        for (const [index, payload] of payloads.entries()) {
          const where = `${webhook} example ${index} (${String(payload.action ?? 'no action')})`;
          const { workflowRun, others } = contextResources(runnerContext(eventName, payload));
          assert.ok(workflowRun, where);
          const roles = others.map((resource) => resource['prefect.resource.role']);
          const role = TRIGGER_ROLE[eventName];
          assert.deepEqual(roles, ['commit', 'repository', 'actor', ...(role ? [role] : [])], where);

          for (const resource of [workflowRun, ...others]) {
            for (const [key, value] of Object.entries(resource)) {
              assert.match(key, LABEL_KEY, where);
              assert.ok(typeof value === 'string' && value !== '', `${where}: ${key} is an empty label`);
            }
          }
          // The run as the primary resource (no `resource` input), and as a related one beside a user's resource.
          const body = JSON.stringify([
            event(workflowRun, others),
            event({ 'prefect.resource.id': 'acme.model.churn' }, [
              asRelated(workflowRun, 'workflow-run'),
              ...others,
            ]),
          ]);
          assert.deepEqual(serverProblems(body), [], where);
        }
      });
    }
  });
}
