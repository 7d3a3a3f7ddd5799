// The one runner sandbox: the environment GitHub's runner gives a `uses:` step of a node24 action, rebuilt in
// a temp directory, for the end-to-end tests, the bench and the local run alike. A step gets INPUT_* (the
// action.yml defaults, then the step's own), the GITHUB_* context, fresh command files (GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_STATE, GITHUB_PATH), the event payload at GITHUB_EVENT_PATH,
// GITHUB_WORKSPACE and RUNNER_TEMP, and nothing else of ours: only PATH and HOME come from this process, so
// no PREFECT_*, proxy, INPUT_* or NODE_OPTIONS variable of the shell leaks into the action. A post step also
// gets STATE_<name> for every value the main step saved.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { inputDefaults } from './action-yml.ts';
import { parseCommandFile, parsePathFile } from './command-files.ts';
import { pushPayload, RUNNER_CONTEXT } from './runner-context.ts';

export { parseCommandFile } from './command-files.ts';
export { RUNNER_CONTEXT } from './runner-context.ts';

export const DIST_ENTRY = resolve(import.meta.dirname, '../dist/index.js');
export const POST_ENTRY = resolve(import.meta.dirname, '../dist/post.js');

export type Variables = Record<string, string>;

export interface SandboxOptions {
  /** The webhook payload GITHUB_EVENT_PATH points at; default: a push payload agreeing with the context. */
  payload?: Record<string, unknown>;
  /** GITHUB_EVENT_NAME; default `push`. */
  eventName?: string;
  /** Files to create in GITHUB_WORKSPACE: relative path -> content. */
  files?: Record<string, string>;
  /** GITHUB_* / RUNNER_* variables over RUNNER_CONTEXT's. */
  context?: Variables;
  /** The directory to build the sandbox in; default: a new temp directory. */
  root?: string;
}

export interface StepOptions {
  /** The step's `with:` values, over action.yml's defaults. Passed as given, never evaluated. */
  inputs?: Variables;
  /** Extra environment (PREFECT_*, proxies, ACTIONS_STEP_DEBUG …), explicitly; over the runner's. */
  env?: Variables;
  /** The saved state, given to the step as STATE_<name> (the post step). */
  state?: Variables;
  /** `${{ job.status }}` in action.yml's defaults; default `success`. */
  jobStatus?: string;
}

export interface ActionOptions extends SandboxOptions, StepOptions {
  /** The script to run; default dist/index.js (runPost: dist/post.js). */
  entry?: string;
}

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT, parsed. */
  outputs: Variables;
  /** GITHUB_STEP_SUMMARY, as written. */
  summary: string;
  /** GITHUB_STATE, parsed: what a post step would get as STATE_*. */
  state: Variables;
  workspace: string;
}

export interface RunnerSandbox {
  root: string;
  workspace: string;
  runnerTemp: string;
  eventPath: string;
  /** GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV, GITHUB_STATE, GITHUB_PATH -> file. */
  commandFiles: Variables;
  /** Empties the command files: the runner hands every step fresh ones. */
  reset(): void;
  /** The whole environment of a step. */
  env(step?: StepOptions): Variables;
  /** What the last step wrote to its command files. */
  read(): { outputs: Variables; state: Variables; summary: string; env: Variables; path: string[] };
  /** Applies what the last step wrote to GITHUB_ENV and GITHUB_PATH to the later steps, as the runner does. */
  carryOver(): void;
  remove(): void;
}

const COMMAND_FILES = ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH'];

/** The environment every child starts from: PATH and HOME of this process, then `extra`. */
export function cleanEnv(extra: Variables = {}): Variables {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...extra };
}

/** INPUT_<NAME> for every input: action.yml's defaults (their expressions evaluated), then the step's. */
export function inputVariables(
  inputs: Variables,
  expressions: Variables,
  defaults: Variables = inputDefaults(),
): Variables {
  const variables: Variables = {};
  const evaluated: Variables = {};
  for (const [name, value] of Object.entries(defaults)) evaluated[name] = evaluate(value, expressions);
  for (const [name, value] of Object.entries({ ...evaluated, ...inputs })) {
    variables[`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`] = value;
  }
  return variables;
}

/** STATE_<name> for every saved value, the name as saved (@actions/core's getState reads it so). */
export function stateVariables(state: Variables): Variables {
  return Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
}

/** `${{ expr }}` in a default, for the few expressions an action.yml default can use here. */
function evaluate(value: string, expressions: Variables): string {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const result = expressions[expression];
    if (result === undefined) {
      throw new Error(
        `action.yml has a default "${value}" with \${{ ${expression} }}, which tools/runner.ts does not ` +
          `evaluate; expected one of ${Object.keys(expressions).join(', ')} (add it to the table there).`,
      );
    }
    return result;
  });
}

export function createSandbox(options: SandboxOptions = {}): RunnerSandbox {
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'emit-prefect-event-'));
  const workspace = join(root, 'workspace');
  const runnerTemp = join(root, 'runner-temp');
  const eventPath = join(root, 'event.json');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(runnerTemp, { recursive: true });
  for (const [path, content] of Object.entries(options.files ?? {})) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), content);
  }

  const eventName = options.eventName ?? 'push';
  const context: Variables = { ...RUNNER_CONTEXT, ...options.context };
  const payload = options.payload ?? (eventName === 'push' ? pushPayload(context) : {});
  writeFileSync(eventPath, JSON.stringify(payload, null, 2));

  const commandFiles = Object.fromEntries(COMMAND_FILES.map((name) => [name, join(runnerTemp, name)]));
  const file = (name: string) => commandFiles[name] ?? '';
  const reset = () => {
    for (const path of Object.values(commandFiles)) writeFileSync(path, '');
  };
  reset();

  // What earlier steps added through GITHUB_ENV and GITHUB_PATH.
  let added: Variables = {};
  let paths: string[] = [];

  const env = (step: StepOptions = {}): Variables => {
    const base = cleanEnv();
    const runner: Variables = {
      ...context,
      GITHUB_EVENT_NAME: eventName,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: runnerTemp,
      ...commandFiles,
    };
    const expressions: Variables = {
      'job.status': step.jobStatus ?? 'success',
      // The sandbox has no token: a step that reads GitHub's API is given its `github-token`.
      'github.token': '',
      'github.sha': runner.GITHUB_SHA ?? '',
      'github.ref': runner.GITHUB_REF ?? '',
      'github.repository': runner.GITHUB_REPOSITORY ?? '',
      'github.run_id': runner.GITHUB_RUN_ID ?? '',
      'github.actor': runner.GITHUB_ACTOR ?? '',
      'github.event_name': eventName,
      'github.workspace': workspace,
      'runner.temp': runnerTemp,
    };
    return {
      ...base,
      PATH: [...paths, base.PATH].join(delimiter),
      ...added,
      ...runner,
      ...step.env,
      ...stateVariables(step.state ?? {}),
      ...inputVariables(step.inputs ?? {}, expressions),
    };
  };

  const read = () => ({
    outputs: parseCommandFile(readFileSync(file('GITHUB_OUTPUT'), 'utf8')),
    state: parseCommandFile(readFileSync(file('GITHUB_STATE'), 'utf8')),
    summary: readFileSync(file('GITHUB_STEP_SUMMARY'), 'utf8'),
    env: parseCommandFile(readFileSync(file('GITHUB_ENV'), 'utf8')),
    path: parsePathFile(readFileSync(file('GITHUB_PATH'), 'utf8')),
  });

  const carryOver = () => {
    const written = read();
    added = { ...added, ...written.env };
    paths = [...written.path, ...paths];
  };

  const remove = () => rmSync(root, { recursive: true, force: true });
  return { root, workspace, runnerTemp, eventPath, commandFiles, reset, env, read, carryOver, remove };
}

/** Runs `entry` as one step in the sandbox (fresh command files, cwd GITHUB_WORKSPACE) and reads what it wrote. */
export async function runStep(
  sandbox: RunnerSandbox,
  entry: string,
  step: StepOptions = {},
): Promise<ActionRun> {
  sandbox.reset();
  const env = sandbox.env(step);
  const child = spawn(process.execPath, [entry], {
    env,
    cwd: sandbox.workspace,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done(code));
  });
  const { outputs, state, summary } = sandbox.read();
  sandbox.carryOver();
  return { exitCode, stdout, stderr, outputs, summary, state, workspace: sandbox.workspace };
}

/** The main step alone (dist/index.js), in a sandbox of its own. */
export async function runAction(options: ActionOptions = {}): Promise<ActionRun> {
  return runStep(createSandbox(options), options.entry ?? DIST_ENTRY, options);
}

export interface StepsOptions extends ActionOptions {
  /** The post step's `with:`, env and job status, over the main step's inputs and env. */
  post?: Omit<StepOptions, 'state'>;
  postEntry?: string;
}

/**
 * The main step, then the post step in the same sandbox as the runner runs them at the end of the job
 * (`post-if: always()`, so whatever the main step's outcome): with STATE_* from the main step's GITHUB_STATE,
 * what it wrote to GITHUB_ENV and GITHUB_PATH, and its inputs evaluated again (`${{ job.status }}` is
 * `post.jobStatus`, by default `success` when the main step succeeded and `failure` when it failed).
 */
export async function runSteps(options: StepsOptions = {}): Promise<{ main: ActionRun; post: ActionRun }> {
  const sandbox = createSandbox(options);
  const main = await runStep(sandbox, options.entry ?? DIST_ENTRY, options);
  const post = await runStep(sandbox, options.postEntry ?? POST_ENTRY, {
    inputs: { ...options.inputs, ...options.post?.inputs },
    env: { ...options.env, ...options.post?.env },
    state: main.state,
    jobStatus: options.post?.jobStatus ?? (main.exitCode === 0 ? 'success' : 'failure'),
  });
  return { main, post };
}

/** The post step alone (dist/post.js), with the given saved state as STATE_*. */
export async function runPost(options: ActionOptions & { state: Variables }): Promise<ActionRun> {
  return runStep(createSandbox(options), options.entry ?? POST_ENTRY, options);
}
