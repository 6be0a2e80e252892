#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli.js) into dist/bundle/cli.cjs, every dependency inlined, and
// compare's index worker (dist/_index-worker.js) beside it, where the CLI starts it from. Node's
// ESM loader would otherwise resolve, read and link ~150 small modules at every start, a large share
// of a night with nothing to do (docs/benchmarks.md).
// The bin loads the bundle; tests of the built CLI run it.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * openpgp.js (0.9 MB) is only needed by a night that signs and a verify that checks signatures,
 * and the store loads it with a dynamic import on first use. Inlined, every start would still read
 * and deserialise it (~15 ms of CPU); bundled on its own beside the CLI, it is required only then.
 */
const openpgpApart = {
  name: 'openpgp-apart',
  setup(plugin) {
    plugin.onResolve({ filter: /^openpgp$/ }, () => ({ path: './openpgp.cjs', external: true }));
  },
};

/**
 * jsonc-parser's `main` is a UMD build whose modules require each other through a factory esbuild
 * cannot follow; its ES module build (`module`) bundles like any other.
 */
const jsoncEsm = {
  name: 'jsonc-parser-esm',
  setup(plugin) {
    const esm = join(dirname(createRequire(resolve('package.json')).resolve('jsonc-parser')), '../esm/main.js');
    plugin.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: esm }));
  },
};

rmSync('dist/bundle', { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };
// CommonJS, so the CommonJS dependencies (handlebars, deep-diff, undici) need no require shim.
// import.meta.url becomes the bundle's own file URL, as it was in an ES module.
await build({
  ...common,
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/bundle/cli.cjs',
  format: 'cjs',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [openpgpApart, jsoncEsm],
  // import() of that file becomes a plain require() of it.
  supported: { 'dynamic-import': false },
});
await build({
  ...common,
  entryPoints: ['dist/_index-worker.js'],
  outfile: 'dist/bundle/_index-worker.js',
  format: 'esm',
});
await build({
  ...common,
  entryPoints: [createRequire(resolve('../../packages/store/package.json')).resolve('openpgp')],
  outfile: 'dist/bundle/openpgp.cjs',
  format: 'cjs',
});
