// The main step: inputs -> settings -> the workflow context -> the shared emit pipeline.
import { contextResources } from '../context/index.ts';
import { credentialSecrets } from '../inputs/credentials.ts';
import { readSettings } from '../inputs/settings.ts';
import { emit, errorMessage } from './emit.ts';
import type { Runner } from './runner.ts';
import { saveStartOfJob } from './state.ts';

export async function start(runner: Runner, now: Date = new Date()): Promise<void> {
  try {
    // Before anything is logged, so the runner masks every credential wherever it appears.
    for (const secret of credentialSecrets(runner.input, runner.env)) runner.mask(secret);
    const settings = readSettings(runner.input, runner.env);
    const { workflowRun, others } = contextResources(runner.workflow());
    const { events } = await emit(
      runner,
      settings.specs,
      {
        ...(workflowRun && { workflowRun }),
        related: settings.githubContext ? others : [],
        relateWorkflowRun: settings.githubContext,
        now,
      },
      settings,
    );
    const last = events[events.length - 1];
    if (settings.jobEndEvent && last && saveStartOfJob(runner, last) === 'without related') {
      runner.warning(
        'The related resources of this event are too large to hand to the post step: the job-end event will ' +
          'carry the resource alone.',
      );
    }
  } catch (error) {
    runner.fail(errorMessage(error));
  }
}
