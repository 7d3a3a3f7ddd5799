// The entry for GitHub's @github/local-action (docs/local-run.md), which imports a module and calls its
// run(): the main step (src/local-post.ts is the post step's). local-action shows a step's outputs and summary
// by standing in for @actions/core, so this runner goes through @actions/core, where the bundled one
// (src/steps/runner.ts) writes the same workflow commands itself. The only module that imports @actions/core;
// it is not bundled.
import * as core from '@actions/core';
import { workflowContext, type Runner } from './steps/runner.ts';
import { start } from './steps/start.ts';

export const coreRunner: Runner = {
  input: (name) => core.getInput(name),
  env: process.env,
  workflow: workflowContext,
  setOutput: (name, value) => core.setOutput(name, value),
  info: (message) => core.info(message),
  group: (title, text) => {
    core.startGroup(title);
    core.info(text);
    core.endGroup();
  },
  debug: (message) => core.debug(message),
  notice: (message) => core.notice(message),
  warning: (message) => core.warning(message),
  fail: (message) => core.setFailed(message),
  mask: (secret) => core.setSecret(secret),
  saveState: (name, value) => core.saveState(name, value),
  getState: (name) => core.getState(name),
  appendSummary: async (markdown) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return false;
    await core.summary.addRaw(markdown).write();
    return true;
  },
};

export async function run(): Promise<void> {
  await start(coreRunner);
}
