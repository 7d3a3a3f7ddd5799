// A clone installed without install scripts has no Node 24 in node_modules/.bin: the npm scripts that run
// TypeScript say so in one sentence instead of failing on ".ts", and `npm ci` runs the scripts it needs
// without the "not yet covered by allowScripts" warning.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const CHECK = 'scripts/require-node-24.mjs';
const packageJson = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};

/** The check, run by a Node that reports `version` (process.versions.node replaced before it starts). */
function check(version: string) {
  const pretend = `Object.defineProperty(process, "versions", { value: { ...process.versions, node: "${version}" } })`;
  return spawnSync(process.execPath, ['--import', `data:text/javascript,${pretend}`, CHECK], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

test('on Node 20 the check fails with one sentence saying what to run', () => {
  const run = check('20.20.2');
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  assert.equal(
    run.stderr,
    'Node 24 is missing (install scripts skipped?): this is Node 20.20.2, which cannot run the TypeScript ' +
      'of the tests and scripts; run `npm ci` (it installs Node 24 into node_modules/.bin through the ' +
      'install script of the `node` devDependency, which package.json approves in allowScripts), or put ' +
      'Node 24 first on PATH.\n',
  );
});

test('on Node 24 and later the check passes silently, so the guarded script prints only its own output', () => {
  for (const version of [process.versions.node, '24.0.0', '26.1.0']) {
    const run = check(version);
    assert.deepEqual([run.status, run.stdout, run.stderr], [0, '', ''], version);
  }
});

test('every npm script that runs TypeScript with node checks the version first', () => {
  for (const [name, command] of Object.entries(packageJson.scripts)) {
    if (!/\bnode (--test |\S+\.ts\b)/.test(command)) continue;
    assert.ok(command.startsWith(`node ${CHECK} && `), `npm run ${name}: ${command}`);
  }
  assert.match(packageJson.scripts.test ?? '', /^node scripts\/require-node-24\.mjs && node --test /);
});

test('package.json approves the install script of every dependency that has one (npm ci warns of no other)', () => {
  const lock = JSON.parse(readFileSync(resolve(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { hasInstallScript?: boolean }>;
  };
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([path]) => path.replace(/^.*node_modules\//, ''))
    .sort();
  assert.ok(withScripts.includes('node'), 'the node devDependency installs Node 24 by its script');
  for (const name of withScripts) assert.equal(packageJson.allowScripts?.[name], true, name);
});
