// Every Prefect automation the README and docs/ show must be one Prefect takes as it stands: each ```json block
// with a "trigger" and "actions" is judged as the body of POST /automations/, and each `triggers:` entry of a
// prefect.yaml block as the automation `prefect deploy` would create from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load as parseYaml } from 'js-yaml';
import { codeBlocks, docPages } from '../support/doc-pages.ts';
import { automationOfDeploymentTrigger, automationProblems } from '../support/prefect-automation.ts';

const pages = docPages();
const all = codeBlocks(pages);
const automations = all.filter(
  (b) => b.language === 'json' && /"trigger"/.test(b.text) && /"actions"/.test(b.text),
);
const deploymentFiles = all.filter((b) => b.language === 'yaml' && /^\s*triggers:/m.test(b.text));

test('the README and docs/ show Prefect automations as JSON and as prefect.yaml triggers', () => {
  assert.ok(
    automations.length > 0,
    `no \`\`\`json block with "trigger" and "actions" in ${pages.join(', ')}`,
  );
  assert.ok(
    deploymentFiles.length > 0,
    `no \`\`\`yaml block with a deployment's "triggers:" in ${pages.join(', ')}`,
  );
});

for (const block of automations) {
  test(`Prefect takes the automation at ${block.label}`, () => {
    let body: unknown;
    assert.doesNotThrow(() => (body = JSON.parse(block.text)), `${block.label} is not valid JSON`);
    assert.deepEqual(automationProblems(body), [], `${block.label} is not an automation Prefect takes`);
  });
}

for (const block of deploymentFiles) {
  test(`prefect deploy takes the triggers at ${block.label}`, () => {
    const file = parseYaml(block.text) as {
      deployments?: { name?: string; triggers?: Record<string, unknown>[] }[];
    };
    const deployments = file.deployments ?? [];
    assert.ok(deployments.length > 0, `${block.label} has no "deployments:" list`);
    for (const deployment of deployments) {
      const name = deployment.name ?? '';
      assert.ok(
        Array.isArray(deployment.triggers),
        `${block.label}: deployment "${name}" has no "triggers:" list`,
      );
      deployment.triggers.forEach((entry, i) => {
        const automation = automationOfDeploymentTrigger(entry, name, i + 1);
        assert.deepEqual(
          automationProblems(automation),
          [],
          `${block.label}: trigger ${i + 1} of deployment "${name}" is not one Prefect takes`,
        );
      });
    }
  });
}
