// The entry for GitHub's @github/local-action (docs/local-run.md), which imports a module and calls its
// run(): the main step, with the runner that local-action stands in for. src/local-post.ts is the post step's.
import { runner } from './steps/runner.ts';
import { start } from './steps/start.ts';

export async function run(): Promise<void> {
  await start(runner);
}
