// Builds dist/ from src/ with esbuild. Dependencies are bundled as free of side effects, so only the
// modules the action really uses are kept. (ncc keeps every module a dependency imports: 4 MB and 2x the
// start-up floor.) @actions/core is not among them: the runner's commands are written by
// src/steps/workflow-commands.ts, and only src/local.ts (not bundled) imports it.
//
// Lazily loaded code: a module imported with import() becomes a chunk of its own under dist/chunks/, loaded
// only by the steps that need it, so a step that does not pays nothing for it. The YAML library is one
// (src/parse/yaml.ts, loadYamlParser: `library ??= import('./yaml-library.ts')`); a feature most steps do
// not use should be another, the same way. The format stays ESM for this: esbuild splits only ESM, and
// the same code bundled as CommonJS measured within 1 ms of CPU time of it (2026-12-05). Built-in modules
// are never imported as ES modules (see builtinsWithoutNamespaces), in chunks too.
//
// Each entry is built on its own (the main step, the post step): a chunk shared by the two would be one more
// file for every start-up to read, for a few kilobytes of dist/ saved.
//
// Usage: node scripts/bundle.mjs [--outdir=DIR] [ENTRY...]   (default: dist/ from src/index.ts and
// src/post.ts; tests build elsewhere with other entries)
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const dependenciesWithoutSideEffects = {
  name: 'dependencies-without-side-effects',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length > 0 || !resolved.path.includes('/node_modules/')) return resolved;
      return { ...resolved, sideEffects: false };
    });
  },
};

// A module the main step imports with import() only when a step needs it (wait-for), built as a bundle of its
// own: as a split chunk, the code it shares with the entry (the HTTP client) would move to a chunk of its own
// that every start-up reads. The entry's import() of it is pointed at the built file.
const ownBundles = [
  {
    importer: 'src/steps/start.ts',
    specifier: './wait.ts',
    entry: 'src/steps/wait.ts',
    out: 'chunks/wait.js',
  },
];
const ownBundlesExternal = {
  name: 'own-bundles-external',
  setup(build) {
    build.onResolve({ filter: /^\.\// }, (args) => {
      const own = ownBundles.find(
        (b) =>
          args.kind === 'dynamic-import' && args.path === b.specifier && args.importer.endsWith(b.importer),
      );
      return own ? { path: `./${own.out}`, external: true } : undefined;
    });
  },
};

// Node's built-in modules through `process.getBuiltinModule`, never as ES module imports: an ESM import of a
// built-in builds its namespace, which reads every export and so runs every lazy getter: `fs` loads
// fs/promises, readline, repl/history, watchers and streams, `crypto` webcrypto, `http` undici and tls. The
// action uses none of them, and each is Node compiling modules on every start-up. Here a built-in is a
// small module exporting the built-in's plain properties, read once at load; a getter (fs.promises,
// crypto.webcrypto ...) is not exported, so importing one fails the build: import its own module instead
// (`node:fs/promises`), where it is needed, and lazily (see splitting below).
const builtinsWithoutNamespaces = {
  name: 'builtins-without-namespaces',
  setup(build) {
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const id = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
      if (!isBuiltin(id)) return undefined;
      return { path: id, namespace: 'builtin', sideEffects: false };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const module = process.getBuiltinModule(args.path);
      const plain = Object.entries(Object.getOwnPropertyDescriptors(module))
        .filter(([name, descriptor]) => 'value' in descriptor && /^[A-Za-z_$][\w$]*$/.test(name))
        .map(([name]) => name)
        .filter((name) => name !== 'default');
      // A pure call, so that esbuild drops the exports nothing imports (a property read it would keep).
      const contents = [
        `const builtin = process.getBuiltinModule(${JSON.stringify(args.path)});`,
        'const property = (name) => builtin[name];',
        'export default builtin;',
        ...plain.map((name) => `export const ${name} = /* @__PURE__ */ property(${JSON.stringify(name)});`),
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

const args = process.argv.slice(2);
const outdir = args.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const entries = args.filter((arg) => !arg.startsWith('--'));

rmSync(outdir, { recursive: true, force: true });
const builds = (entries.length > 0 ? entries : ['src/index.ts', 'src/post.ts']).map((entry) => build(entry));
for (const own of ownBundles) {
  builds.push(
    esbuild.build({
      ...options(own.entry),
      splitting: false,
      outdir: undefined,
      outfile: join(outdir, own.out),
    }),
  );
}
const outputs = (await Promise.all(builds)).flatMap(({ metafile }) => Object.values(metafile.outputs));

function build(entry) {
  return esbuild.build(options(entry));
}

function options(entry) {
  return {
    entryPoints: [entry],
    outdir,
    outbase: 'src',
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    legalComments: 'none',
    metafile: true,
    plugins: [builtinsWithoutNamespaces, dependenciesWithoutSideEffects, ownBundlesExternal],
    logLevel: 'warning',
  };
}

// The licences of the packages that ended up in the bundle, as their licences ask to ship with copies.
const packages = new Set();
const bundled = outputs.flatMap((output) =>
  Object.entries(output.inputs)
    .filter(([, use]) => use.bytesInOutput > 0)
    .map(([input]) => input),
);
for (const input of bundled) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match) packages.add(match[1]);
}
const notices = [...packages].sort().map((name) => {
  const dir = join('node_modules', name);
  const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((entry) => /^licen[cs]e/i.test(entry));
  const text = file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : license;
  return `${name}@${version} (${license})\n\n${text}\n`;
});
writeFileSync(join(outdir, 'licenses.txt'), notices.join('\n' + '-'.repeat(80) + '\n\n'));
