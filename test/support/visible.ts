// What a user can read of a step, where no secret may appear: its log without the commands that register
// masks (which hold the secrets by design, and which the runner never shows), stderr, outputs and summary.
import type { ActionRun } from '../../tools/runner.ts';

export function visibleOf(run: Pick<ActionRun, 'stdout' | 'stderr' | 'outputs' | 'summary'>): string {
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return [log, run.stderr, JSON.stringify(run.outputs), run.summary].join('\n');
}
