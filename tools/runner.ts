// Runs the action as GitHub's runner runs a step: a child process of the built bundle with INPUT_*
// variables, the file commands (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, …) and GITHUB_EVENT_PATH.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inputDefaults } from './action-yml.ts';

export const DIST_ENTRY = resolve(import.meta.dirname, '../../dist/index.js');

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  workspace: string;
}

export interface ActionOptions {
  inputs?: Record<string, string>;
  /** Extra environment (PREFECT_*, proxies, ACTIONS_STEP_DEBUG …) over the runner's. */
  env?: Record<string, string>;
  /** The webhook payload GITHUB_EVENT_PATH points at. */
  payload?: Record<string, unknown>;
  eventName?: string;
  /** Files to create in GITHUB_WORKSPACE: relative path -> content. */
  files?: Record<string, string>;
  entry?: string;
}

export const RUNNER_CONTEXT = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_REPOSITORY: 'octo-org/octo-repo',
  GITHUB_REPOSITORY_OWNER: 'octo-org',
  GITHUB_RUN_ID: '1234567890',
  GITHUB_RUN_NUMBER: '42',
  GITHUB_RUN_ATTEMPT: '2',
  GITHUB_WORKFLOW: 'Release',
  GITHUB_JOB: 'build',
  GITHUB_ACTOR: 'octocat',
  GITHUB_SHA: 'ffac537e6cbbf934b08745a378932722df287a53',
  GITHUB_REF: 'refs/heads/main',
};

/** Parses the runner's GITHUB_OUTPUT file (`name<<DELIMITER` … `DELIMITER` blocks). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const block = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(block)) outputs[match[1] ?? ''] = match[3] ?? '';
  return outputs;
}

export async function runAction(options: ActionOptions = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'emit-prefect-event-'));
  const workspace = join(dir, 'workspace');
  const files = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary'),
    env: join(dir, 'env'),
    state: join(dir, 'state'),
    path: join(dir, 'path'),
    event: join(dir, 'event.json'),
  };
  for (const file of [files.output, files.summary, files.env, files.state, files.path])
    writeFileSync(file, '');
  writeFileSync(files.event, JSON.stringify(options.payload ?? {}));
  mkdirSync(workspace);
  for (const [path, content] of Object.entries(options.files ?? {})) {
    writeFileSync(join(workspace, path), content);
  }

  // The runner's environment, not ours: no PREFECT_*, proxy or INPUT_* variables leak in from the test run.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    ...RUNNER_CONTEXT,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    GITHUB_STATE: files.state,
    GITHUB_PATH: files.path,
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: dir,
    ...options.env,
  };
  // Like the runner: action.yml's defaults for the inputs the step leaves out, then the step's own.
  for (const [name, value] of Object.entries({ ...inputDefaults(), ...options.inputs })) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }

  const child = spawn(process.execPath, [options.entry ?? DIST_ENTRY], { env, cwd: workspace });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exitCode = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    workspace,
  };
}
