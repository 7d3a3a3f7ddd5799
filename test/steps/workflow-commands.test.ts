// The bundled runner writes the workflow commands itself (src/steps/workflow-commands.ts): the runner must
// read exactly what it read from @actions/core. The same calls go through both runners (src/local.ts has
// the one on @actions/core), each in a process of its own with the runner's variables, and the log, the
// command files, the summary and the exit code must be the same bytes, the random delimiters aside.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

const SRC = join(import.meta.dirname, '../../src');
const dir = mkdtempSync(join(tmpdir(), 'workflow-commands-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Every value a command or a file must escape or carry: %, CR, LF, the property separators, a delimiter-like
// line, non-ASCII text.
const TRICKY = 'a%b\r\nc:d,e\n100%25 ghadelimiter_x\n✓ ünïcode';

/** The calls, in a script run with one runner or the other; prints what getInput and getState returned. */
const calls = (module: string, name: string) => `
import { ${name} as runner } from ${JSON.stringify(join(SRC, module))};
const seen = [runner.input('api-url'), runner.input('events file'), runner.input('missing'), runner.getState('start'), runner.getState('none')];
runner.info(JSON.stringify(seen));
runner.info(${JSON.stringify(TRICKY)});
runner.group('Event ${'a:b,c'}', ${JSON.stringify(TRICKY)});
runner.debug(${JSON.stringify(TRICKY)});
runner.notice(${JSON.stringify(TRICKY)});
runner.warning(${JSON.stringify(TRICKY)});
runner.mask('pnu_se%cret\\nline');
runner.setOutput('event-id', ${JSON.stringify(TRICKY)});
runner.setOutput('emitted', 'true');
runner.saveState('start', ${JSON.stringify(TRICKY)});
runner.info(String(await runner.appendSummary('| a | b |\\n|---|---|\\n')));
runner.fail(${JSON.stringify(TRICKY)});
`;

interface Step {
  status: number | null;
  stdout: string;
  files: Record<string, string>;
}

function runStep(which: 'bundled' | 'core', withFiles: boolean): Step {
  const root = mkdtempSync(join(dir, `${which}-`));
  const names = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    'INPUT_API-URL': '  http://127.0.0.1:4200/api \n',
    INPUT_EVENTS_FILE: 'events.jsonl',
    STATE_start: '{"id":"1"}',
  };
  if (withFiles) {
    for (const name of names) {
      env[name] = join(root, name);
      writeFileSync(env[name], '');
    }
  }
  const script = join(root, 'step.mjs');
  writeFileSync(
    script,
    which === 'bundled' ? calls('steps/runner.ts', 'runner') : calls('local.ts', 'coreRunner'),
  );
  const result = spawnSync(process.execPath, [script], { env, encoding: 'utf8' });
  assert.equal(result.stderr, '');
  const files = Object.fromEntries(
    withFiles ? names.map((name) => [name, readFileSync(join(root, name), 'utf8')]) : [],
  );
  const sameDelimiters = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_UUID');
  return {
    status: result.status,
    stdout: result.stdout,
    files: Object.fromEntries(Object.entries(files).map(([name, text]) => [name, sameDelimiters(text)])),
  };
}

describe('the bundled runner writes what @actions/core writes', () => {
  test('with the runner command files: the log, GITHUB_OUTPUT, GITHUB_STATE, the summary, the exit code', () => {
    const bundled = runStep('bundled', true);
    const core = runStep('core', true);
    assert.deepEqual(bundled, core);
    // And what that is, in a few places: a reader of these tests should not need @actions/core's source.
    assert.equal(bundled.status, 1);
    assert.match(
      bundled.stdout,
      /^\["http:\/\/127\.0\.0\.1:4200\/api","events\.jsonl","","\{\\"id\\":\\"1\\"\}",""\]\n/,
    );
    assert.match(bundled.stdout, /\n::group::Event a:b,c\n/);
    assert.match(bundled.stdout, /\n::add-mask::pnu_se%25cret%0Aline\n/);
    assert.match(bundled.stdout, /\n::error::a%25b%0D%0Ac:d,e%0A100%2525 ghadelimiter_x%0A✓ ünïcode\n$/);
    assert.match(bundled.files.GITHUB_OUTPUT ?? '', /^event-id<<ghadelimiter_UUID\na%b\r\nc:d,e\n/);
    assert.equal(bundled.files.GITHUB_STEP_SUMMARY, '| a | b |\n|---|---|\n');
  });

  test('without them: ::set-output and ::save-state on stdout, and no summary', () => {
    const bundled = runStep('bundled', false);
    assert.deepEqual(bundled, runStep('core', false));
    assert.match(bundled.stdout, /\n\n::set-output name=event-id::a%25b%0D%0Ac:d,e/);
    assert.match(bundled.stdout, /\n::save-state name=start::a%25b/);
    assert.match(bundled.stdout, /\nfalse\n/);
  });
});
