// The local run: the built action, run once as a workflow step in the runner sandbox (tools/runner.ts), in
// dry-run mode. It prints the event the action would send and its outputs, and never sends: dry-run is
// always true, and the action starts from a clean environment (PATH and HOME, the made-up push run of
// tools/runner-context.ts, and what is passed here), so no PREFECT_* or proxy variable of the shell reaches it.
//
//   npm run dry-run -- --event acme.model.deployed --resource acme.model.churn --payload '{"rows": 3}'
//   npm run dry-run -- --help
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { declared } from '../tools/action-yml.ts';
import { createSandbox, DIST_ENTRY, runStep, type Variables } from '../tools/runner.ts';
import { workflowCommandFilter } from '../tools/workflow-commands.ts';

const ROOT = resolve(import.meta.dirname, '..');
const INPUTS = [...declared('inputs').keys()];
// The example event, when the command line names none (no --event, --events or --events-file).
const EXAMPLE: Variables = { event: 'acme.model.deployed', resource: 'acme.model.churn' };
const TRUE = /^(true|yes|on|1)$/i;

const USAGE = `Usage: npm run dry-run -- [--INPUT VALUE ...] [--env NAME=VALUE ...] [--no-build]

Runs dist/index.js once as a workflow step of a made-up push run, in dry-run mode: it prints the event the
action would send and its outputs, and never sends anything.

  --INPUT VALUE     an input of action.yml (also --INPUT=VALUE); without --event, --events or
                    --events-file: --event ${EXAMPLE.event} --resource ${EXAMPLE.resource}; files
                    (--payload-file, --events-file) are read from the current directory, the workspace
  --env NAME=VALUE  an environment variable for the action (say PREFECT_UI_URL or GITHUB_REPOSITORY); the
                    action sees no other variable of this shell
  --no-build        run dist/ as it is; otherwise it is rebuilt first when src/ is newer

Inputs: ${INPUTS.join(', ')}`;

interface Request {
  inputs: Variables;
  env: Variables;
  build: boolean;
}

/** The command line as inputs, variables and the build choice; throws a one-sentence Error when it is wrong. */
export function parseCommandLine(args: string[]): Request | 'help' {
  const request: Request = { inputs: { summary: 'false' }, env: {}, build: true };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--no-build') {
      request.build = false;
      continue;
    }
    const flag = /^--([^=]+)(?:=([\s\S]*))?$/.exec(arg);
    const name = flag?.[1] ?? '';
    if (!flag || !(INPUTS.includes(name) || name === 'env')) {
      throw new Error(
        `Unknown ${flag ? 'flag' : 'argument'} ${arg}: expected --INPUT VALUE with an input of action.yml ` +
          `(${INPUTS.join(', ')}), --env NAME=VALUE, --no-build or --help.`,
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
      request.env[variable[1] ?? ''] = variable[2] ?? '';
    } else if (name === 'dry-run' && !TRUE.test(value)) {
      throw new Error(
        `--dry-run ${value}: the local run never sends, it always runs with dry-run true; to send an event ` +
          'for real, run the action in a workflow, or run dist/index.js with your own .env as "Running ' +
          'locally" in the README shows.',
      );
    } else {
      request.inputs[name] = value;
    }
  }
  const named = ['event', 'events', 'events-file'].some((name) => request.inputs[name] !== undefined);
  if (!named) request.inputs = { ...EXAMPLE, ...request.inputs };
  request.inputs['dry-run'] = 'true';
  return request;
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
  try {
    request = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    fail((error as Error).message);
  }
  if (request === 'help') {
    console.log(USAGE);
    return;
  }
  prepareBuild(request.build);

  const sandbox = createSandbox();
  // Files the inputs name are the user's: the workspace is where the command was run (npm run moves to the
  // package's folder and keeps the original in INIT_CWD), unless --env GITHUB_WORKSPACE says otherwise.
  request.env = { GITHUB_WORKSPACE: process.env.INIT_CWD ?? process.cwd(), ...request.env };
  const env = sandbox.env({ env: request.env });
  console.log(
    `As a step of a made-up ${env.GITHUB_EVENT_NAME} run of ${env.GITHUB_REPOSITORY} ` +
      '(tools/runner-context.ts; --env GITHUB_...=VALUE changes it).',
  );
  try {
    const run = await runStep(sandbox, DIST_ENTRY, { inputs: request.inputs, env: request.env });
    // Shown as the runner shows a step's log: masked values as ***, no ::add-mask:: lines.
    const commands = workflowCommandFilter({ debug: request.env.ACTIONS_STEP_DEBUG === 'true' });
    const lines = run.stdout.replace(/\n$/, '').split('\n').map(commands.line);
    console.log(lines.filter((line) => line !== undefined).join('\n'));
    if (run.stderr) process.stderr.write(commands.redact(run.stderr));
    const outputs = Object.entries(run.outputs).map(
      ([name, value]) => `  ${name}: ${commands.redact(value)}`,
    );
    if (outputs.length > 0) console.log(`Outputs:\n${outputs.join('\n')}`);
    if (run.summary) console.log(`Job summary (Markdown):\n${commands.redact(run.summary).trimEnd()}`);
    console.log('Nothing was sent (the local run is always a dry run).');
    process.exitCode = run.exitCode ?? 1;
  } finally {
    sandbox.remove();
  }
}

if (import.meta.main) await main();
