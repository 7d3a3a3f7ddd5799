// The main step with `workflow-run` (DESIGN §1.10): the inputs, the run and its jobs read from GitHub's API,
// and the event specs runs/ makes of them, as settings for the same emit pipeline as every other step;
// with a job summary of its own. start.ts loads this module with import() only when `workflow-run` is set,
// so a step without it loads none of GitHub's client, runs/ or this summary.
import type { WorkflowContext } from '../context/index.ts';
import { createGitHubClient, GitHubError } from '../github/client.ts';
import { readRunRecord, type RunRecord } from '../github/workflow-run.ts';
import { parseRelated } from '../inputs/resource.ts';
import {
  readDeliverySettings,
  readGithubContext,
  type DeliverySettings,
  type Settings,
} from '../inputs/settings.ts';
import { quote } from '../inputs/source.ts';
import { readLoadingYaml } from '../inputs/values.ts';
import { readWorkflowRunInputs, type WorkflowRunInputs } from '../inputs/workflow-run.ts';
import type { Labels } from '../event/schema.ts';
import { ProxyConfigError } from '../net/proxy.ts';
import { runSummaryMarkdown } from '../report/run-summary.ts';
import { runEventSpecs } from '../runs/events.ts';
import { errorMessage, type Summarize } from './emit.ts';
import type { Runner } from './runner.ts';

/** What the step sends for the run, and how its summary reads. */
export interface ReportedRun {
  settings: Settings;
  summarize: Summarize;
}

/** Every input of the step, read before GitHub is asked anything. */
interface Request extends WorkflowRunInputs {
  delivery: DeliverySettings;
  related: Labels[];
  githubContext: boolean;
  apiUrl: URL;
}

/**
 * The settings of a step that reports a workflow run; null when there is nothing to send: GitHub could not
 * be read (the step has failed, or warned with fail-on-error false), or no job of the run has completed.
 * Throws InputError for a bad input, before any request.
 */
export async function readReportedRun(
  runner: Runner,
  workflow: WorkflowContext,
): Promise<ReportedRun | null> {
  const request = await readLoadingYaml(() => readRequest(runner.input, runner.env));
  if (!workflow.repository) {
    throw new Error(
      'Input "workflow-run" needs GITHUB_REPOSITORY, the repository whose run it is; the runner sets it in a workflow.',
    );
  }
  const record = await readFromGitHub(runner, workflow.repository, request);
  if (!record) return nothingSent(runner);
  const { run } = record;
  const report = runEventSpecs(record, {
    serverUrl: workflow.serverUrl,
    repository: workflow.repository,
    related: request.related,
    githubContext: request.githubContext,
  });
  // The workflow's name is the reported workflow file's (a pull request's, from a fork too): quoted, so a line
  // break in it cannot start a workflow command in the log.
  runner.info(
    `Read workflow run ${run.id} (${run.name ? quote(run.name) : 'unnamed'} #${run.run_number ?? '?'}, attempt ${run.run_attempt ?? 1}, ` +
      `${run.status}${run.conclusion ? `: ${run.conclusion}` : ''}) from ${request.apiUrl.origin}: ` +
      `${record.jobs.length} job${record.jobs.length === 1 ? '' : 's'}.`,
  );
  if (!report.runCompleted) {
    const done = report.completedJobs.length;
    const open = report.unfinishedJobs;
    const reported =
      done === 0
        ? 'no job of it has completed yet, so nothing is reported'
        : `${done} completed job${done === 1 ? ' is' : 's are'} reported; the ${open} job${open === 1 ? '' : 's'} ` +
          "not completed yet and the run's own event are not";
    // `${{ github.run_id }}`: the step's own run cannot complete while this step runs in it.
    const again =
      String(workflow.runId) === request.runId
        ? "This step runs inside that run, which completes only after it: for the run's own event, report it " +
          'from a workflow triggered on: workflow_run (events already sent are stored once).'
        : 'Report it again once it completes (events already sent are stored once).';
    runner.notice(`Workflow run ${run.id} has not completed (${run.status}): ${reported}. ${again}`);
  }
  if (report.specs.length === 0) return nothingSent(runner);
  return {
    settings: { ...request.delivery, specs: report.specs, githubContext: false },
    summarize: (facts) =>
      runSummaryMarkdown({
        ...facts,
        run,
        jobs: report.completedJobs,
        unfinishedJobs: report.unfinishedJobs,
      }),
  };
}

/** The outputs of a step that sent nothing, so that later steps can read them (fromJSON of '' fails). */
function nothingSent(runner: Runner): null {
  runner.setOutput('event-ids', '[]');
  runner.setOutput('emitted', 'false');
  return null;
}

function readRequest(read: (name: string) => string, env: NodeJS.ProcessEnv): Request {
  const inputs = readWorkflowRunInputs(read);
  if (!inputs) throw new Error('readReportedRun is for steps with the workflow-run input.');
  return {
    ...inputs,
    delivery: readDeliverySettings(read, env),
    related: parseRelated('related', read('related')),
    githubContext: readGithubContext(read),
    apiUrl: githubApiUrl(env.GITHUB_API_URL),
  };
}

/** GITHUB_API_URL: https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server. */
function githubApiUrl(text: string | undefined): URL {
  const value = (text ?? '').trim() || 'https://api.github.com';
  // URL.parse gives null for what is not a URL.
  const url = URL.parse(value);
  if (url?.protocol === 'https:' || url?.protocol === 'http:') return url;
  throw new Error(
    `GITHUB_API_URL must be an http(s) URL such as https://api.github.com or https://HOST/api/v3, not ${quote(value)}.`,
  );
}

/** The run and its jobs; undefined when GitHub could not be read, after failing the step or warning. */
async function readFromGitHub(
  runner: Runner,
  repository: string,
  request: Request,
): Promise<RunRecord | undefined> {
  const client = createGitHubClient({
    apiUrl: request.apiUrl,
    token: request.token,
    retries: request.delivery.retries,
    timeoutMs: request.delivery.timeoutMs,
    env: runner.env,
    debug: runner.debug,
  });
  try {
    return await readRunRecord(client, repository, request.runId);
  } catch (error) {
    if (!(error instanceof GitHubError || error instanceof ProxyConfigError)) throw error;
    const message = `Workflow run ${request.runId} of ${repository} could not be read from GitHub: ${errorMessage(error)}`;
    if (request.delivery.failOnError) runner.fail(message);
    else runner.warning(`${message.replace(/\.$/, '')} (fail-on-error is false, so the step succeeds).`);
    return undefined;
  }
}
