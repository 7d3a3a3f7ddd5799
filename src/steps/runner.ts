// The GitHub runner as one object: inputs, environment, the workflow context, outputs, log, masking,
// state and the job summary. The only module that imports @actions/core; the rest of the action gets this.
import * as core from '@actions/core';
import type { WorkflowContext } from '../context/index.ts';
import type { InputReader } from '../inputs/credentials.ts';
import { readWorkflowContext } from './workflow-context.ts';

export interface Runner {
  input: InputReader;
  env: NodeJS.ProcessEnv;
  workflow(): WorkflowContext;
  setOutput(name: string, value: string): void;
  info(message: string): void;
  /** Collapsed in the log under a title. */
  group(title: string, text: string): void;
  debug(message: string): void;
  notice(message: string): void;
  warning(message: string): void;
  /** Fails the step with this message (one ::error:: line). */
  fail(message: string): void;
  /** From now on the runner writes *** instead of this value, wherever it appears. */
  mask(secret: string): void;
  saveState(name: string, value: string): void;
  getState(name: string): string;
  /** Appends Markdown to the job summary; false when there is no summary file (outside the runner). */
  appendSummary(markdown: string): Promise<boolean>;
}

let workflow: WorkflowContext | undefined;

export const runner: Runner = {
  input: (name) => core.getInput(name),
  env: process.env,
  workflow: () => (workflow ??= readWorkflowContext(process.env)),
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
