// The main step: inputs -> settings -> the workflow context -> the shared emit pipeline.
import { contextResources } from '../context/index.ts';
import { credentialSecrets } from '../inputs/credentials.ts';
import { readSettings } from '../inputs/settings.ts';
import { readLoadingYaml } from '../inputs/values.ts';
import { readWaitSettings } from '../inputs/wait.ts';
import { emit, errorMessage } from './emit.ts';
import type { Runner } from './runner.ts';
import { saveStartOfJob } from './state.ts';
import type { PrefectEvent } from '../event/schema.ts';

export async function start(runner: Runner, now: Date = new Date()): Promise<void> {
  try {
    // Before anything is logged, so the runner masks every credential wherever it appears.
    const secrets = credentialSecrets(runner.input, runner.env);
    for (const secret of secrets) runner.mask(secret);
    const workflow = runner.workflow();
    const wait = readWaitSettings(runner.input);
    // A reported workflow run (§1.10) makes its own specs from GitHub's API; its code, a bundle of its own
    // (scripts/bundle.mjs), loads only then.
    const reported =
      runner.input('workflow-run') !== ''
        ? await (await import('./workflow-run.ts')).readReportedRun(runner, workflow)
        : undefined;
    if (reported === null) return;
    const settings =
      reported?.settings ??
      (await readLoadingYaml(() => readSettings(runner.input, runner.env, workflow.payload, secrets)));
    const { workflowRun, others } = contextResources(workflow);
    const { events, outcome } = await emit(
      runner,
      settings.specs,
      {
        ...(workflowRun && { workflowRun }),
        related: settings.githubContext ? others : [],
        relateWorkflowRun: settings.githubContext,
        now,
      },
      settings,
      reported?.summarize,
    );
    const last = events[events.length - 1];
    if (settings.jobEndEvent && last) handOverToPostStep(runner, last, outcome === 'emitted');
    // Its own bundle (scripts/bundle.mjs): a step without wait-for loads none of it.
    if (wait.waitFor !== 'nothing')
      await (await import('./wait.ts')).waitForPrefect(runner, events, outcome, settings, wait);
  } catch (error) {
    runner.fail(errorMessage(error));
  }
}

/** Saves what the post step needs for the job-end event; says so when the runner's state cannot hold it. */
function handOverToPostStep(runner: Runner, last: PrefectEvent, emitted: boolean): void {
  const saved = saveStartOfJob(runner, last, emitted);
  if (saved === 'without related') {
    runner.warning(
      "This event's related resources are too large for the runner to hand to the post step: the job-end " +
        'event will carry its resource alone.',
    );
  } else if (saved === 'too large') {
    runner.warning(
      "This event's resource is too large for the runner to hand to the post step: no job-end event will " +
        'be emitted.',
    );
  }
}
