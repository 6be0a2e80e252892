#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli.js) and its compare worker into dist/bundle/, one file each,
// with every dependency inlined. The CLI starts in about half the time: Node's ESM loader resolves,
// reads and links ~150 small modules otherwise, which cost ~0.2 s of a nightly run that has
// nothing to do (see docs/benchmarks.md). The bin loads the bundle; tests of the built CLI run it.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'dist/cli.js', '_compare-worker': 'dist/_compare-worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // CommonJS dependencies (isomorphic-git, deep-diff) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
