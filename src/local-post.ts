// The post step's entry for @github/local-action, given as `--post src/local-post.ts` after src/local.ts:
// local-action runs both in one process and keeps what the main step saved (saveState) in memory for the
// post step, as the runner hands it over as STATE_*. Run alone it finds no saved start event and does nothing.
// Like src/local.ts, it goes through @actions/core, which local-action stands in for.
import { coreRunner } from './local.ts';
import { finish } from './steps/finish.ts';

export async function run(): Promise<void> {
  await finish(coreRunner);
}
