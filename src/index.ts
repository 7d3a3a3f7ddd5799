// The entry point GitHub runs. Nothing else lives here, so tests import run() without side effects.
import { run } from './main.ts';

await run();
