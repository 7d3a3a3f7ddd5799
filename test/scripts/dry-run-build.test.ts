// When the local run builds dist/ before running it: in a checkout as committed, when the last commit to src/,
// package-lock.json or dist/ did not rebuild dist/; otherwise when src/ is newer. A fresh clone writes src/
// after dist/ and must not be told "src/ is newer" (it was: every first `npm run dry-run` rebuilt).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { distIsStale } from '../../scripts/dry-run.ts';

const root = mkdtempSync(join(tmpdir(), 'emit-prefect-event-build-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Writes a file of `dir` with the given modification time (seconds since 1970), so no two share one. */
function write(dir: string, path: string, text: string, time: number): void {
  const file = join(dir, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  utimesSync(file, time, time);
}

function commit(dir: string, message: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args]);
  git('add', '-A');
  git('commit', '-q', '-m', message);
}

describe('in a git checkout', () => {
  const repo = join(root, 'repo');
  before(() => {
    mkdirSync(repo);
    execFileSync('git', ['-C', repo, 'init', '-q']);
    write(repo, 'dist/index.js', 'built 1', 1000);
    write(repo, 'package-lock.json', '{}', 1000);
    write(repo, 'src/main.ts', 'source 1', 1000);
    commit(repo, 'source and build');
  });

  test('as committed, src/ written after dist/ (a fresh clone): dist/ is current', () => {
    write(repo, 'src/main.ts', 'source 1', 2000);
    write(repo, 'package-lock.json', '{}', 2000);
    assert.equal(distIsStale(repo), false);
  });

  test('a commit that changed src/ without rebuilding dist/: stale, whatever the times', () => {
    write(repo, 'src/main.ts', 'source 2', 500);
    commit(repo, 'source only');
    assert.equal(distIsStale(repo), true);
    write(repo, 'dist/index.js', 'built 2', 400);
    commit(repo, 'build');
    assert.equal(distIsStale(repo), false);
  });

  test('uncommitted changes: the times decide', () => {
    write(repo, 'src/main.ts', 'source 3', 3000);
    assert.equal(distIsStale(repo), true);
    write(repo, 'dist/index.js', 'built 3', 3001);
    assert.equal(distIsStale(repo), false);
  });
});

describe('outside git', () => {
  const plain = join(root, 'plain');

  test('the times decide', () => {
    write(plain, 'dist/index.js', 'built', 1000);
    write(plain, 'package-lock.json', '{}', 1000);
    write(plain, 'src/main.ts', 'source', 2000);
    assert.equal(distIsStale(plain), true);
    write(plain, 'dist/index.js', 'built', 3000);
    assert.equal(distIsStale(plain), false);
  });

  test('no dist/index.js: stale', () => {
    rmSync(join(plain, 'dist'), { recursive: true });
    assert.equal(distIsStale(plain), true);
  });
});
