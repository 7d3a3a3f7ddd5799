// The job summary of a reported workflow run: what was sent, then a table of its jobs (conclusion,
// duration, a link to each job's page), bounded for big runs, the jobs that did not succeed kept first.
// Every string from GitHub is escaped, and links are GitHub's and Prefect's own http(s) URLs only.
import type { Job, WorkflowRun } from '../github/workflow-run.ts';
import { describeDuration } from './duration.ts';
import {
  escapeMarkdown,
  linkTarget,
  MAX_SUMMARY_ROWS,
  OUTCOME_TEXT,
  partlyEmitted,
  type BatchSummaryFacts,
} from './summary.ts';

export interface RunSummaryFacts extends BatchSummaryFacts {
  run: WorkflowRun;
  /** The reported jobs, in the order they completed. */
  jobs: Job[];
  /** Jobs not completed yet, not reported. */
  unfinishedJobs: number;
  /** The last event's page in Prefect, when emitted. */
  url?: string;
}

const CONCLUSION_MARK: Record<string, string> = {
  success: '✅',
  failure: '❌',
  cancelled: '🚫',
  timed_out: '⏱️',
  skipped: '⏭️',
};

/** A link when the URL is http(s), its target made safe as every link of the summaries is; else the text. */
function link(text: string, href: string | null | undefined): string {
  const url = href ? URL.parse(href) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return text;
  return `[${text}](${linkTarget(url.href)})`;
}

function durationOf(job: Job): string {
  const start = Date.parse(job.started_at ?? '');
  const end = Date.parse(job.completed_at ?? '');
  return Number.isNaN(start) || Number.isNaN(end) ? '—' : describeDuration(end - start);
}

/** When the job completed, written by us from the parsed time (so nothing of GitHub's text is in it). */
function completedAt(job: Job): string {
  const time = Date.parse(job.completed_at ?? '');
  return Number.isNaN(time) ? '—' : new Date(time).toISOString().replace('.000Z', 'Z');
}

function jobRow(job: Job): string {
  const conclusion = job.conclusion ?? job.status;
  const mark = CONCLUSION_MARK[conclusion];
  return (
    `| ${link(escapeMarkdown(job.name), job.html_url)} | ${mark ? `${mark} ` : ''}${escapeMarkdown(conclusion)} ` +
    `| ${durationOf(job)} | ${completedAt(job)} |`
  );
}

/** The jobs to list: all when they fit; otherwise those that did not succeed first, then in completion order. */
function shownJobs(jobs: Job[]): Job[] {
  if (jobs.length <= MAX_SUMMARY_ROWS) return jobs;
  const notSucceeded = jobs.filter((job) => job.conclusion !== 'success');
  const kept = new Set([...notSucceeded, ...jobs].slice(0, MAX_SUMMARY_ROWS));
  return jobs.filter((job) => kept.has(job));
}

/** `78 success, 2 failure`: the conclusions of the jobs left out of the table. */
function hiddenConclusions(jobs: Job[], shown: Job[]): string {
  const listed = new Set(shown);
  const counts = new Map<string, number>();
  for (const job of jobs) {
    if (listed.has(job)) continue;
    const conclusion = job.conclusion ?? job.status;
    counts.set(conclusion, (counts.get(conclusion) ?? 0) + 1);
  }
  return [...counts].map(([conclusion, count]) => `${count} ${escapeMarkdown(conclusion)}`).join(', ');
}

export function runSummaryMarkdown(facts: RunSummaryFacts): string {
  const { run, jobs, events, outcome, emittedCount, url } = facts;
  const title = `${escapeMarkdown(run.name ?? 'Workflow run')}${run.run_number ? ` #${run.run_number}` : ''}`;
  const attempt = (run.run_attempt ?? 1) > 1 ? `, attempt ${run.run_attempt}` : '';
  const state = run.conclusion ?? run.status ?? '';
  const shown = shownJobs(jobs);
  const hidden = jobs.length - shown.length;
  const counts = partlyEmitted(outcome, emittedCount, events.length);
  const jobCount = `${jobs.length} job${jobs.length === 1 ? '' : 's'}`;
  const what =
    events.length <= jobs.length
      ? jobCount
      : jobs.length > 0
        ? `${jobCount} and the run`
        : 'the run, which has no job';
  const links = [
    link('the run on GitHub', run.html_url),
    ...(url ? [link('the last event in Prefect', url)] : []),
  ];
  return [
    `### Workflow run ${title}${attempt}: ${escapeMarkdown(state)}`,
    '',
    `${OUTCOME_TEXT[outcome]}${counts}: ${events.length} event${events.length === 1 ? '' : 's'} for ${what}. ` +
      `Open ${links.join(' or ')}.`,
    // A run that never started a job (a workflow file GitHub could not start) has no table.
    ...(jobs.length > 0
      ? ['', '| Job | Conclusion | Duration | Completed |', '| --- | --- | --- | --- |', ...shown.map(jobRow)]
      : []),
    ...(hidden > 0
      ? [
          '',
          `…and ${hidden} more job${hidden === 1 ? '' : 's'} (${hiddenConclusions(jobs, shown)}), not listed here.`,
        ]
      : []),
    ...(facts.unfinishedJobs > 0
      ? [
          '',
          `${facts.unfinishedJobs} job${facts.unfinishedJobs === 1 ? ' has' : 's have'} not completed yet and ${facts.unfinishedJobs === 1 ? 'is' : 'are'} not reported.`,
        ]
      : []),
    '',
  ].join('\n');
}
