// The main step's entry point. Nothing else lives here, so tests import the steps without side effects.
import { runner } from './steps/runner.ts';
import { start } from './steps/start.ts';

await start(runner);
