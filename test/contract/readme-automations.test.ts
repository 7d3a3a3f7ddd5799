// Every Prefect automation the README shows must be one Prefect takes as it stands: each ```json block with a
// "trigger" and "actions" is judged as the body of POST /automations/, and each `triggers:` entry of a
// prefect.yaml block as the automation `prefect deploy` would create from it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { load as parseYaml } from 'js-yaml';
import { automationOfDeploymentTrigger, automationProblems } from '../support/prefect-automation.ts';

const root = resolve(import.meta.dirname, '../..');
// The README and every page under docs/ (the recipes).
const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => relative(root, join(root, 'docs', path))),
];

interface Block {
  language: string;
  text: string;
  /** "FILE:LINE `first telling line`" (LINE: the block's first), to name it in test names and failures. */
  label: string;
}

/** Fenced code blocks, also the indented ones inside lists. */
function blocks(file: string, markdown: string): Block[] {
  const found: Block[] = [];
  for (const match of markdown.matchAll(/^( *)```(\w*)\n([\s\S]*?)^\1```$/gm)) {
    const text = match[3] ?? '';
    const line = markdown.slice(0, match.index).split('\n').length + 1;
    // The first line that says something: `{` alone names nothing, `"name": "Deploy failed",` does.
    const firstLine = text.split('\n').find((l) => /\w/.test(l)) ?? '';
    found.push({ language: match[2] ?? '', text, label: `${file}:${line} \`${firstLine.trim()}\`` });
  }
  return found;
}

const all = docs.flatMap((file) => blocks(file, readFileSync(join(root, file), 'utf8')));
const automations = all.filter(
  (b) => b.language === 'json' && /"trigger"/.test(b.text) && /"actions"/.test(b.text),
);
const deploymentFiles = all.filter((b) => b.language === 'yaml' && /^\s*triggers:/m.test(b.text));

test('the README shows Prefect automations as JSON and as prefect.yaml triggers', () => {
  assert.ok(automations.length > 0, 'no ```json block with "trigger" and "actions" found in README.md');
  assert.ok(
    deploymentFiles.length > 0,
    'no ```yaml block with a deployment\'s "triggers:" found in README.md',
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
