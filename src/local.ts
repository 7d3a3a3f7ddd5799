// The entry for GitHub's @github/local-action (README, "Running locally"), which imports a module and calls
// its run(): the main step, with the runner that local-action stands in for.
import { runner } from './steps/runner.ts';
import { start } from './steps/start.ts';

export async function run(): Promise<void> {
  await start(runner);
}
