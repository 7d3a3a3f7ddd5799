// The main step's entry point. Nothing else lives here, so tests import the steps without side effects.
import { runner } from './steps/runner.ts';
import { start } from './steps/start.ts';

// Not awaited: dist/ is CommonJS, which has no top-level await (scripts/bundle.mjs says why), and start
// reports every error it meets itself, as the step's failure.
void start(runner);
