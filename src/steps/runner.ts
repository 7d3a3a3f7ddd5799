// The GitHub runner as one object: inputs, environment, the workflow context, outputs, log, masking,
// state and the job summary. The rest of the action gets this.
//
// It writes the runner's workflow commands itself (./workflow-commands.ts), as @actions/core does: loading
// @actions/core cost every step more start-up than the action's own work. src/local.ts has the same runner
// through @actions/core, for GitHub's local-action, which stands in for @actions/core to show a step's
// outputs and summary; dist/ does not contain @actions/core.
import type { WorkflowContext } from '../context/index.ts';
import type { InputReader } from '../inputs/credentials.ts';
import { readWorkflowContext } from './workflow-context.ts';
import { appendToSummary, issueCommand, setFileValue, writeLine } from './workflow-commands.ts';

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
/** The workflow context, read once. */
export const workflowContext = () => (workflow ??= readWorkflowContext(process.env));

export const runner: Runner = {
  // As @actions/core's getInput: the runner names the variable INPUT_<NAME> with spaces as underscores
  // (hyphens stay), and the value is trimmed.
  input: (name) => (process.env[`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`] ?? '').trim(),
  env: process.env,
  workflow: workflowContext,
  setOutput: (name, value) => setFileValue(process.env, 'OUTPUT', name, value),
  info: writeLine,
  group: (title, text) => {
    issueCommand('group', title);
    writeLine(text);
    issueCommand('endgroup', '');
  },
  debug: (message) => issueCommand('debug', message),
  notice: (message) => issueCommand('notice', message),
  warning: (message) => issueCommand('warning', message),
  fail: (message) => {
    process.exitCode = 1;
    issueCommand('error', message);
  },
  mask: (secret) => issueCommand('add-mask', secret),
  saveState: (name, value) => setFileValue(process.env, 'STATE', name, value),
  getState: (name) => process.env[`STATE_${name}`] ?? '',
  appendSummary: async (markdown) => {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file) return false;
    appendToSummary(file, markdown);
    return true;
  },
};
