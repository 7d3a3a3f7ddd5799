// Runs the built action locally the way the runner would, in dry-run mode: it prints the event it would
// send and sends nothing. Every `--name value` pair becomes the input `name`, e.g.
//   npm run dry-run -- --event acme.model.deployed --resource acme.model.churn --payload '{"rows": 3}'
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const defaults = {
  event: 'acme.model.deployed',
  resource: 'acme.model.churn',
  'dry-run': 'true',
  summary: 'false',
};
const args = process.argv.slice(2);
const inputs = { ...defaults };
for (let i = 0; i < args.length; i += 2) {
  const name = args[i]?.replace(/^--/, '');
  if (!name || args[i + 1] === undefined) {
    console.error(`Expected --name value pairs, got "${args.slice(i).join(' ')}".`);
    process.exit(2);
  }
  inputs[name] = args[i + 1];
}

// The runner's output file, so the outputs can be shown as a list afterwards.
const dir = mkdtempSync(join(tmpdir(), 'emit-prefect-event-'));
const env = { ...process.env, GITHUB_OUTPUT: join(dir, 'output') };
writeFileSync(env.GITHUB_OUTPUT, '');
for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const { status } = spawnSync(process.execPath, [entry], { env, stdio: 'inherit' });
let outputs = '';
try {
  outputs = readFileSync(env.GITHUB_OUTPUT, 'utf8');
} catch {
  // the action failed before setting any output
}
rmSync(dir, { recursive: true, force: true });
const pairs = [...outputs.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map(
  ([, name, , value]) => `  ${name}: ${value}`,
);
if (pairs.length > 0) console.log(`Outputs:\n${pairs.join('\n')}`);
process.exit(status ?? 1);
