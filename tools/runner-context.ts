// What GitHub's runner tells a step about its run: the default GITHUB_* and RUNNER_* variables of a push to
// main, and the push webhook payload that agrees with them, as the runner writes it to GITHUB_EVENT_PATH.

/** The variables of a `push` run; a sandbox may override any of them. */
export const RUNNER_CONTEXT = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_ACTION: '__octo-org_emit-prefect-event',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_API_URL: 'https://api.github.com',
  GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
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
  GITHUB_REF_NAME: 'main',
  GITHUB_REF_TYPE: 'branch',
  RUNNER_OS: 'Linux',
  RUNNER_ARCH: 'X64',
};

/** A small but realistic `push` payload for the given context (its commit, ref, repository and actor). */
export function pushPayload(context: Record<string, string | undefined>): Record<string, unknown> {
  const sha = context.GITHUB_SHA ?? '';
  const before = [...sha].reverse().join('');
  const repository = context.GITHUB_REPOSITORY ?? '';
  const [ownerLogin = ''] = repository.split('/');
  const server = context.GITHUB_SERVER_URL ?? 'https://github.com';
  const actor = context.GITHUB_ACTOR ?? '';
  const author = { name: 'Mona Octocat', email: `${actor}@github.com`, username: actor };
  const commit = {
    id: sha,
    tree_id: '2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e',
    distinct: true,
    message: 'Release the churn model',
    timestamp: '2025-11-24T19:00:00Z',
    url: `${server}/${repository}/commit/${sha}`,
    author,
    committer: author,
    added: [],
    removed: [],
    modified: ['models/churn.py'],
  };
  return {
    ref: context.GITHUB_REF,
    before,
    after: sha,
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `${server}/${repository}/compare/${before.slice(0, 12)}...${sha.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
    repository: {
      id: 123456789,
      node_id: 'R_kgDOHb1e2Q',
      name: repository.split('/')[1] ?? '',
      full_name: repository,
      private: true,
      owner: { login: ownerLogin, id: 6811672, type: 'Organization', html_url: `${server}/${ownerLogin}` },
      html_url: `${server}/${repository}`,
      default_branch: 'main',
      master_branch: 'main',
      visibility: 'private',
    },
    organization: { login: ownerLogin, id: 6811672 },
    pusher: { name: actor, email: `${actor}@github.com` },
    sender: { login: actor, id: 583231, type: 'User', html_url: `${server}/${actor}` },
  };
}
