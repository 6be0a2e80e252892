#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli.js) into dist/bundle/cli.cjs, every dependency inlined. Node's
// ESM loader would otherwise resolve, read and link ~150 small modules at every start, a large share
// of a night with nothing to do (docs/benchmarks.md).
// The bin loads the bundle; tests of the built CLI run it.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

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
});
