// Runs first in the npm scripts that run TypeScript directly (test, dry-run, bench): they need Node 24,
// which `npm ci` installs as node_modules/.bin/node (the `node` devDependency, through its install script),
// and npm puts node_modules/.bin first on PATH. When that install script was skipped (npm ci
// --ignore-scripts, or an npm that blocks scripts package.json's allowScripts does not approve), `node` is
// whatever the system has: on an older one, one sentence saying what to run beats a stack trace about ".ts".
//
// Plain JavaScript that any Node since 12 runs; it exits 0 silently on Node 24 or later, so the script it
// guards prints what it prints and nothing else.
import { fileURLToPath } from 'node:url';

export const REQUIRED_MAJOR = 24;

/** The sentence for a Node that cannot run the .ts scripts; undefined when `version` (say 20.20.2) can. */
export function nodeVersionProblem(version) {
  const major = Number.parseInt(version, 10);
  if (major >= REQUIRED_MAJOR) return undefined;
  return (
    `Node ${REQUIRED_MAJOR} is missing (install scripts skipped?): this is Node ${version}, which cannot ` +
    'run the TypeScript of the tests and scripts; run `npm ci` (it installs Node 24 into node_modules/.bin ' +
    'through the install script of the `node` devDependency, which package.json approves in allowScripts), ' +
    `or put Node ${REQUIRED_MAJOR} first on PATH.`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problem = nodeVersionProblem(process.versions.node);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
