// The environment GitHub's runner gives a `uses:` step of a node24 action, rebuilt in a temp directory, so the
// action runs in the bench as it runs in a workflow: the same inputs, files and context variables.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputDefaults } from '../test/helpers/action-yml.ts';

export const SHA = '0123456789abcdef0123456789abcdef01234567';
const BEFORE = 'fedcba9876543210fedcba9876543210fedcba98';

// Variables the parent may have that would change what the child does: Prefect settings and action inputs
// (the action reads both), proxies (requests to 127.0.0.1 must not go through one), the parent's own
// runner context when the bench itself runs in CI, and NODE_OPTIONS (the bench chooses the child's flags).
const STRIPPED = [
  /^PREFECT_/i,
  /^INPUT_/i,
  /^GITHUB_/i,
  /^RUNNER_/i,
  /^ACTIONS_/i,
  /^(HTTPS?|NO|ALL)_PROXY$/i,
];
const STRIPPED_NAMES = new Set(['NODE_OPTIONS']);

/** The parent's environment without the variables above; every child (floor included) starts from it. */
export function baseEnv() {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (STRIPPED_NAMES.has(name) || STRIPPED.some((re) => re.test(name))) continue;
    env[name] = value;
  }
  return env;
}

/** A small but realistic `push` webhook payload, as the runner writes it to GITHUB_EVENT_PATH. */
function pushEvent() {
  const owner = {
    login: 'octo-org',
    id: 6811672,
    type: 'Organization',
    html_url: 'https://github.com/octo-org',
  };
  const octocat = { name: 'Mona Octocat', email: 'octocat@github.com', username: 'octocat' };
  const commit = {
    id: SHA,
    tree_id: '2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e',
    distinct: true,
    message: 'Release the churn model',
    timestamp: '2025-11-24T19:00:00Z',
    url: `https://github.com/octo-org/octo-repo/commit/${SHA}`,
    author: octocat,
    committer: octocat,
    added: [],
    removed: [],
    modified: ['models/churn.py'],
  };
  return {
    ref: 'refs/heads/main',
    before: BEFORE,
    after: SHA,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/octo-org/octo-repo/compare/${BEFORE.slice(0, 12)}...${SHA.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
    repository: {
      id: 123456789,
      node_id: 'R_kgDOHb1e2Q',
      name: 'octo-repo',
      full_name: 'octo-org/octo-repo',
      private: true,
      owner,
      html_url: 'https://github.com/octo-org/octo-repo',
      url: 'https://api.github.com/repos/octo-org/octo-repo',
      default_branch: 'main',
      master_branch: 'main',
      visibility: 'private',
    },
    organization: { login: 'octo-org', id: 6811672 },
    pusher: { name: 'octocat', email: 'octocat@github.com' },
    sender: { login: 'octocat', id: 583231, type: 'User', html_url: 'https://github.com/octocat' },
  };
}

/**
 * Creates the runner's files under `root` and returns `{ workspace, env(inputs), reset(), outputs() }`: `env`
 * builds a step's environment for the given inputs; `outputs` reads what the step wrote to GITHUB_OUTPUT;
 * `reset` empties the GITHUB_* command files, as the runner hands every
 * step fresh ones.
 */
export function runnerSandbox(root) {
  const workspace = join(root, 'workspace');
  const runnerTemp = join(root, 'runner-temp');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(runnerTemp, { recursive: true });
  const eventPath = join(root, 'event.json');
  writeFileSync(eventPath, JSON.stringify(pushEvent(), null, 2));

  const commandFiles = {
    GITHUB_OUTPUT: join(runnerTemp, 'output'),
    GITHUB_STEP_SUMMARY: join(runnerTemp, 'step-summary'),
    GITHUB_ENV: join(runnerTemp, 'env'),
    GITHUB_STATE: join(runnerTemp, 'state'),
    GITHUB_PATH: join(runnerTemp, 'path'),
  };
  const reset = () => {
    for (const file of Object.values(commandFiles)) writeFileSync(file, '');
  };
  reset();

  const context = {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: '__octo-org_emit-prefect-event',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_REPOSITORY_OWNER: 'octo-org',
    GITHUB_RUN_ID: '1234567890',
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_WORKFLOW: 'Release',
    GITHUB_JOB: 'build',
    GITHUB_ACTOR: 'octocat',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    ...commandFiles,
  };

  // The runner sets INPUT_<NAME> for every input that has a value or a default (name upper-cased, hyphens
  // kept): action.yml's defaults, read from it as the tests read them; `inputs` overrides them.
  const defaults = inputDefaults();

  const env = (inputs) => {
    const result = { ...baseEnv(), ...context };
    for (const [name, value] of Object.entries({ ...defaults, ...inputs })) {
      result[`INPUT_${name.toUpperCase()}`] = value;
    }
    return result;
  };

  const outputs = () => readFileSync(commandFiles.GITHUB_OUTPUT, 'utf8');

  return { workspace, env, reset, outputs };
}
