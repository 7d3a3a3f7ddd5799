// The post step's entry point: GitHub runs it at the end of the job (post-if: always()).
import { finish } from './steps/finish.ts';
import { runner } from './steps/runner.ts';

// Not awaited: dist/ is CommonJS, which has no top-level await (scripts/bundle.mjs says why), and finish
// reports every error it meets itself, as the step's failure.
void finish(runner);
