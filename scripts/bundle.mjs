// Builds dist/ from src/ with esbuild. Dependencies are bundled as free of side effects, so only the
// modules the action really uses are kept. (ncc keeps every module a dependency imports: 4 MB and 2x the
// start-up floor.) @actions/core is not among them: the runner's commands are written by
// src/steps/workflow-commands.ts, and only src/local.ts (not bundled) imports it.
//
// Lazily loaded code: a module imported with import() only by the steps that need it is built as a bundle of
// its own under dist/chunks/ (ownBundles below), so a step that does not pays nothing for it: the YAML library
// (src/parse/yaml.ts, loadYamlParser: `library ??= import('./yaml-library.ts')`), wait-for, workflow-run. A
// feature most steps do not use should be another, the same way; the build fails on an import() of any other
// module, which would put its code into every start-up. Built-in modules are never imported as ES modules
// (see builtinsWithoutNamespaces), in own bundles too.
//
// CommonJS, not ES modules (dist/package.json says so to Node, under the repository's "type": "module"):
// Node loads a CommonJS file without its ES module loader, and an own bundle with a plain require() (esbuild
// writes each import() so, `dynamic-import` being unsupported), not through an ES module's import of
// CommonJS. bench --only b,d,e,g, 30 runs alternating with the ES module build (2026-12-05, load 0.6): one
// event 45.8 -> 44.7 ms wall, 40.2 -> 39.0 ms CPU, peak memory 49.8 -> 47.8 MiB; the post step 46.4 ->
// 45.2 ms; a YAML payload 54.6 -> 54.1 ms, 51.2 -> 50.2 ms CPU. So src/index.ts and src/post.ts have no
// top-level await.
//
// Each entry is built on its own (the main step, the post step), and every start-up reads and compiles its
// entry alone.
//
// Usage: node scripts/bundle.mjs [--outdir=DIR] [ENTRY...]   (default: dist/ from src/index.ts and
// src/post.ts; tests build elsewhere with other entries)
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
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

// Modules imported with import() only when a step needs them, each built as a bundle of its own, under a name
// of its own: as split chunks, the code they share with the entry (the inputs, the HTTP client) would move to a
// chunk of its own that every start-up reads, a second file. An import() of one is pointed at the built file.
// A bundle has its own copies of the modules it shares with the entry (their state too: the YAML bundle is
// loaded by each bundle that parses YAML, and Node loads the file once), so what crosses between them is
// plain data and functions, never a class checked with instanceof.
const ownBundles = [
  // wait-for (§1.9)
  {
    importer: 'src/steps/start.ts',
    specifier: './wait.ts',
    entry: 'src/steps/wait.ts',
    out: 'chunks/wait.js',
  },
  // workflow-run (§1.10): GitHub's client, runs/ and its summary
  {
    importer: 'src/steps/start.ts',
    specifier: './workflow-run.ts',
    entry: 'src/steps/workflow-run.ts',
    out: 'chunks/workflow-run.js',
  },
  // js-yaml's reader, for the inputs and files that are not JSON (src/parse/yaml.ts)
  {
    importer: 'src/parse/yaml.ts',
    specifier: './yaml-library.ts',
    entry: 'src/parse/yaml-library.ts',
    out: 'chunks/yaml.js',
  },
];
/** Points the import()s of own bundles at their files, relative to `outputDir`, where the importing code is. */
function ownBundlesExternal(outputDir) {
  return {
    name: 'own-bundles-external',
    setup(build) {
      build.onResolve({ filter: /^\.\// }, (args) => {
        const own = ownBundles.find(
          (b) =>
            args.kind === 'dynamic-import' && args.path === b.specifier && args.importer.endsWith(b.importer),
        );
        if (!own) return undefined;
        const path = relative(outputDir, join(outdir, own.out)).split(sep).join('/');
        return { path: path.startsWith('.') ? path : `./${path}`, external: true };
      });
    },
  };
}

// Node's built-in modules through `process.getBuiltinModule`, never as ES module imports: an ESM import of a
// built-in builds its namespace, which reads every export and so runs every lazy getter: `fs` loads
// fs/promises, readline, repl/history, watchers and streams, `crypto` webcrypto, `http` undici and tls. The
// action uses none of them, and each is Node compiling modules on every start-up. Here a built-in is a
// small module exporting the built-in's plain properties, read once at load; a getter (fs.promises,
// crypto.webcrypto ...) is not exported, so importing one fails the build: import its own module instead
// (`node:fs/promises`), where it is needed.
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
const builds = (entries.length > 0 ? entries : ['src/index.ts', 'src/post.ts']).map((entry) =>
  esbuild.build(options(entry, join(outdir, dirname(relative('src', entry))))),
);
for (const own of ownBundles) {
  const outfile = join(outdir, own.out);
  builds.push(esbuild.build({ ...options(own.entry, dirname(outfile)), outdir: undefined, outfile }));
}
const results = await Promise.all(builds);
const outputs = results.flatMap(({ metafile }) => Object.entries(metafile.outputs));
// Node reads dist/ as CommonJS whatever the repository's own package.json says.
writeFileSync(join(outdir, 'package.json'), '{ "type": "commonjs" }\n');

// Code loaded with import() stays out of every start-up only as an own bundle: any other module imported so
// is put into the file that imports it (a CommonJS build has no chunks to split it into).
for (const { metafile } of results) {
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    const lazy = imports.filter((i) => i.kind === 'dynamic-import' && !i.external);
    if (lazy.length > 0) {
      throw new Error(
        `${input} imports ${lazy.map((i) => i.path).join(', ')} with import(): add it to ownBundles ` +
          '(scripts/bundle.mjs), or its code loads with every step.',
      );
    }
  }
}

function options(entry, outputDir) {
  return {
    entryPoints: [entry],
    outdir,
    outbase: 'src',
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    supported: { 'dynamic-import': false },
    minify: true,
    legalComments: 'none',
    metafile: true,
    plugins: [builtinsWithoutNamespaces, dependenciesWithoutSideEffects, ownBundlesExternal(outputDir)],
    logLevel: 'warning',
  };
}

// The licences of the packages that ended up in the bundle, as their licences ask to ship with copies.
const packages = new Set();
const bundled = outputs.flatMap(([, output]) =>
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
