// The post step's entry point: GitHub runs it at the end of the job (post-if: always()).
import { finish } from './steps/finish.ts';
import { runner } from './steps/runner.ts';

await finish(runner);
