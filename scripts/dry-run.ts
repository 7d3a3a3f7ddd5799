// The local run: the built action, run once as a workflow step in the runner sandbox (tools/runner.ts), in
// dry-run mode, and with --post its post step after it, as the runner runs it at the end of the job. It prints
// the events the action would send and its outputs, and never sends: dry-run is always true, and the action
// starts from a clean environment (PATH and HOME, the made-up run of tools/runner-context.ts or of
// tools/triggers.ts, and what is passed here), so no PREFECT_* or proxy variable of the shell reaches it.
// docs/local-run.md is its guide.
//
//   npm run dry-run -- --event acme.model.deployed --resource acme.model.churn --payload '{"rows": 3}'
//   npm run dry-run -- --trigger deployment_status --job-end-event acme.deploy.{status} --post
//   npm run dry-run -- --help
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { declared } from '../tools/action-yml.ts';
import {
  createSandbox,
  DIST_ENTRY,
  POST_ENTRY,
  runStep,
  type ActionRun,
  type SandboxOptions,
  type Variables,
} from '../tools/runner.ts';
import { payloadContext, triggerRun } from '../tools/triggers.ts';
import { workflowCommandFilter } from '../tools/workflow-commands.ts';

const ROOT = resolve(import.meta.dirname, '..');
const INPUTS = [...declared('inputs').keys()];
// The example event, when the command line names none (no --event, --events or --events-file).
const EXAMPLE: Variables = { event: 'acme.model.deployed', resource: 'acme.model.churn' };
const TRUE = /^(true|yes|on|1)$/i;

const USAGE = `Usage: npm run dry-run -- [--INPUT VALUE ...] [--trigger NAME] [--event-path FILE]
                          [--post [--job-status STATUS]] [--env NAME=VALUE ...] [--no-build]

Runs dist/index.js once as a workflow step of a made-up run (a push, unless --trigger says otherwise), in
dry-run mode: it prints the event the action would send and its outputs, and never sends anything.
docs/local-run.md is the guide.

  --INPUT VALUE       an input of action.yml (also --INPUT=VALUE); without --event, --events or
                      --events-file: --event ${EXAMPLE.event} --resource ${EXAMPLE.resource}; files
                      (--payload-file, --events-file) are read from the current directory, the workspace
  --trigger NAME      the event that started the run, with GitHub's example payload of it
                      (@octokit/webhooks-examples): deployment_status, pull_request, release, schedule,
                      workflow_dispatch, workflow_run, ... (an unknown NAME lists them all)
  --event-path FILE   the run's webhook payload from a JSON file (from the current directory) instead
  --post              then run the post step, as the runner does at the end of the job: it prints the
                      job-end-event (needs --job-end-event NAME)
  --job-status STATUS the job's status the post step reports: success (default), failure or cancelled
  --env NAME=VALUE    an environment variable for the action (say PREFECT_UI_URL or GITHUB_REPOSITORY); the
                      action sees no other variable of this shell
  --no-build          run dist/ as it is; otherwise it is rebuilt first when src/ is newer

Inputs: ${INPUTS.join(', ')}`;

interface Request {
  inputs: Variables;
  env: Variables;
  build: boolean;
  /** Run the post step after the main step. */
  post: boolean;
  /** `${{ job.status }}` for the post step. */
  jobStatus: string;
  trigger?: string;
  eventPath?: string;
}

// Flags of the local run itself, beside the inputs of action.yml; those without a value first.
const SWITCHES = ['no-build', 'post'];
const OPTIONS = ['env', 'trigger', 'event-path'];
/** Every flag docs/local-run.md documents: the local run's own, and the inputs it treats apart. */
export const OWN_FLAGS = [...SWITCHES, ...OPTIONS, 'job-status', 'help'];
// What the runner sets from the run's trigger: the flags that say it, so the payload and variables agree.
const TRIGGER_VARIABLES: Record<string, string> = {
  GITHUB_EVENT_NAME: '--trigger NAME',
  GITHUB_EVENT_PATH: '--event-path FILE',
};

/** The command line as inputs, variables and choices; throws a one-sentence Error when it is wrong. */
export function parseCommandLine(args: string[]): Request | 'help' {
  const request: Request = {
    inputs: { summary: 'false' },
    env: {},
    build: true,
    post: false,
    jobStatus: 'success',
  };
  let jobStatus: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    const flag = /^--([^=]+)(?:=([\s\S]*))?$/.exec(arg);
    const name = flag?.[1] ?? '';
    if (flag && flag[2] === undefined && SWITCHES.includes(name)) {
      if (name === 'no-build') request.build = false;
      else request.post = true;
      continue;
    }
    if (!flag || !(INPUTS.includes(name) || OPTIONS.includes(name))) {
      throw new Error(
        `Unknown ${flag ? 'flag' : 'argument'} ${arg}: expected --INPUT VALUE with an input of action.yml ` +
          `(${INPUTS.join(', ')}), --trigger NAME, --event-path FILE, --post, --env NAME=VALUE, --no-build ` +
          'or --help.',
      );
    }
    const value = flag[2] ?? args[++i];
    // `--event --resource x` is a forgotten value, not an event named --resource (--event=--x says that).
    if (value === undefined || (flag[2] === undefined && value.startsWith('--'))) {
      throw new Error(`--${name} needs a value: --${name} VALUE.`);
    }
    if (name === 'env') {
      const variable = /^([A-Za-z_][A-Za-z0-9_-]*)=([\s\S]*)$/.exec(value);
      if (!variable)
        throw new Error(`--env ${value} is not NAME=VALUE (say --env PREFECT_UI_URL=https://...).`);
      const instead = TRIGGER_VARIABLES[variable[1] ?? ''];
      if (instead) {
        throw new Error(
          `--env ${variable[1]}: the local run sets it from the run's trigger; use ${instead} (docs/local-run.md).`,
        );
      }
      request.env[variable[1] ?? ''] = variable[2] ?? '';
    } else if (name === 'trigger') {
      request.trigger = value;
    } else if (name === 'event-path') {
      request.eventPath = value;
    } else if (name === 'job-status') {
      jobStatus = value;
    } else if (name === 'dry-run' && !TRUE.test(value)) {
      throw new Error(
        `--dry-run ${value}: the local run never sends, it always runs with dry-run true; to send an event ` +
          'for real, run the action in a workflow, or run dist/index.js with your own .env as ' +
          'docs/local-run.md shows.',
      );
    } else {
      request.inputs[name] = value;
    }
  }
  if (jobStatus !== undefined) {
    if (!request.post) {
      throw new Error(
        `--job-status ${jobStatus}: the job's status is the post step's; add --post to run it after the main step.`,
      );
    }
    request.jobStatus = jobStatus;
  }
  if (request.post && !request.inputs['job-end-event']) {
    throw new Error(
      '--post: the post step emits only the job-end-event; add --job-end-event NAME (say --job-end-event ' +
        "'acme.job.{status}').",
    );
  }
  const named = ['event', 'events', 'events-file'].some((name) => request.inputs[name] !== undefined);
  if (!named) request.inputs = { ...EXAMPLE, ...request.inputs };
  request.inputs['dry-run'] = 'true';
  return request;
}

/**
 * The made-up run: a push (tools/runner-context.ts), or the --trigger's example payload, or the --event-path
 * file (from `here`); the GITHUB_* variables taken from that payload. Throws a one-sentence Error.
 */
export function madeUpRun(request: Pick<Request, 'trigger' | 'eventPath'>, here: string): SandboxOptions {
  const trigger = request.trigger === undefined ? undefined : triggerRun(request.trigger);
  if (request.eventPath === undefined) return trigger ?? {};
  const path = resolve(here, request.eventPath);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new Error(
      `--event-path ${request.eventPath}: no such file ${path} (a relative path is read from where the ` +
        'command runs).',
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--event-path ${request.eventPath} is not JSON: ${(error as Error).message}.`);
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new Error(`--event-path ${request.eventPath} is not a JSON object, as a webhook payload is.`);
  }
  const eventName = trigger?.eventName ?? 'push';
  const file = payload as Record<string, unknown>;
  return { eventName, payload: file, context: payloadContext(eventName, file) };
}

/** Bundles first when dist/index.js is missing or older than src/ (or package-lock.json); says which build runs. */
function prepareBuild(build: boolean): void {
  const dist = relative(process.cwd(), DIST_ENTRY) || DIST_ENTRY;
  const built = existsSync(DIST_ENTRY) ? statSync(DIST_ENTRY).mtimeMs : undefined;
  const stale = built === undefined || newestSource() > built;
  if (!build) {
    if (built === undefined) fail(`${dist} does not exist: run without --no-build, or npm run bundle first.`);
    console.log(`Running ${dist} as it is (--no-build)${stale ? ', older than src/' : ''}.`);
    return;
  }
  if (!stale) {
    console.log(`Running ${dist}, up to date with src/ (built ${new Date(built).toISOString()}).`);
    return;
  }
  console.log(
    `Building first: ${built === undefined ? `no ${dist}` : `src/ is newer than ${dist}`} (npm run bundle).`,
  );
  const npm = process.env.npm_execpath;
  const bundle = npm
    ? spawnSync(process.execPath, [npm, 'run', '--silent', 'bundle'], { cwd: ROOT, stdio: 'inherit' })
    : spawnSync('npm', ['run', '--silent', 'bundle'], { cwd: ROOT, stdio: 'inherit' });
  if (bundle.status !== 0) fail('npm run bundle failed (above); nothing was run.');
  console.log(`Running ${dist}, built just now from src/.`);
}

function newestSource(): number {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).map((f) =>
    join(ROOT, 'src', f),
  );
  return Math.max(...[...files, join(ROOT, 'package-lock.json')].map((f) => statSync(f).mtimeMs));
}

function fail(message: string): never {
  console.error(`dry-run: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  let request: Request | 'help';
  let run: SandboxOptions;
  // npm run moves to the package's folder and keeps the one the command was run from in INIT_CWD.
  const here = process.env.INIT_CWD ?? process.cwd();
  try {
    request = parseCommandLine(process.argv.slice(2));
    run = request === 'help' ? {} : madeUpRun(request, here);
  } catch (error) {
    fail((error as Error).message);
  }
  if (request === 'help') {
    console.log(USAGE);
    return;
  }
  prepareBuild(request.build);

  const sandbox = createSandbox(run);
  // Files the inputs name are the user's: the workspace is where the command was run, unless --env
  // GITHUB_WORKSPACE says otherwise.
  request.env = { GITHUB_WORKSPACE: here, ...request.env };
  const env = sandbox.env({ env: request.env });
  const payload =
    request.eventPath !== undefined
      ? `the payload of ${request.eventPath}`
      : request.trigger !== undefined
        ? "GitHub's example payload, from @octokit/webhooks-examples"
        : 'tools/runner-context.ts';
  console.log(
    `As a step of a made-up ${env.GITHUB_EVENT_NAME} run of ${env.GITHUB_REPOSITORY} ` +
      `(${payload}; --env GITHUB_...=VALUE changes it).`,
  );
  // One filter for the whole job: a value masked in the main step stays masked in the post step.
  const commands = workflowCommandFilter({ debug: request.env.ACTIONS_STEP_DEBUG === 'true' });
  try {
    const step = { inputs: request.inputs, env: request.env, jobStatus: request.jobStatus };
    const main = await runStep(sandbox, DIST_ENTRY, step);
    show(main, commands);
    let exitCode = main.exitCode ?? 1;
    if (request.post) {
      // The runner runs the post step whatever the main step's outcome (post-if: always()), with its state.
      console.log(`Post step, at the end of the job (job status ${request.jobStatus}):`);
      const post = await runStep(sandbox, POST_ENTRY, { ...step, state: main.state });
      // Its outputs are left out: no step runs after the post step to read them.
      show(post, commands, { outputs: false });
      if (exitCode === 0) exitCode = post.exitCode ?? 1;
    }
    console.log('Nothing was sent (the local run is always a dry run).');
    process.exitCode = exitCode;
  } finally {
    sandbox.remove();
  }
}

/** A step's log as the runner shows it (masked values as ***, no ::add-mask:: lines), its outputs and summary. */
function show(
  run: ActionRun,
  commands: ReturnType<typeof workflowCommandFilter>,
  { outputs: withOutputs = true } = {},
): void {
  const lines = run.stdout.replace(/\n$/, '').split('\n').map(commands.line);
  console.log(lines.filter((line) => line !== undefined).join('\n'));
  if (run.stderr) process.stderr.write(commands.redact(run.stderr));
  const outputs = Object.entries(withOutputs ? run.outputs : {}).map(
    ([name, value]) => `  ${name}: ${commands.redact(value)}`,
  );
  if (outputs.length > 0) console.log(`Outputs:\n${outputs.join('\n')}`);
  if (run.summary) console.log(`Job summary (Markdown):\n${commands.redact(run.summary).trimEnd()}`);
}

if (import.meta.main) await main();
