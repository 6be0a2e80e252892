#!/usr/bin/env node
// Bundles the compiled CLI (dist/cli.js) into dist/bundle/cli.cjs, every dependency inlined, then
// writes V8's code cache for it. The CLI starts in about half the time: Node's ESM loader resolves,
// reads and links ~150 small modules otherwise, which cost ~0.2 s of a nightly run that has nothing
// to do, and compiling the bundle without a cache costs ~45 ms more (see docs/benchmarks.md). The
// bin loads the bundle; tests of the built CLI run it.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

/**
 * yargs lays out its help text before running any command (to have it ready for an error), and
 * string-width measures every string of it by segmenting it into graphemes: ~25 ms of each start.
 * Printable ASCII is one column per character, the answer string-width gives too; every other
 * string (ANSI colours, CJK, emoji, combining marks) still goes to string-width. The test
 * "the bundled CLI prints the same help and errors as the unbundled one" holds the two equal.
 */
const asciiStringWidth = {
  name: 'ascii-string-width',
  setup(plugin) {
    plugin.onResolve({ filter: /^string-width$/ }, async (args) => {
      // The inner resolve comes back through here; it gets string-width itself.
      if (args.pluginData === 'real') return undefined;
      const real = await plugin.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'real' });
      if (real.errors.length > 0) return undefined;
      return { path: real.path, namespace: 'ascii-string-width' };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'ascii-string-width' }, (args) => ({
      resolveDir: dirname(args.path),
      contents: `import stringWidth from ${JSON.stringify(args.path)};
const PRINTABLE_ASCII = /^[\\x20-\\x7e]*$/;
export default function asciiFirstStringWidth(string, options) {
  return typeof string === 'string' && PRINTABLE_ASCII.test(string) ? string.length : stringWidth(string, options);
}
`,
    }));
  },
};

rmSync('dist/bundle', { recursive: true, force: true });
const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };
// CommonJS, so the bin can compile it as a vm.Script with a code cache (Node 20 has no module
// compile cache). import.meta.url becomes the bundle's own file URL, as it was in an ES module.
await build({
  ...common,
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/bundle/cli.cjs',
  format: 'cjs',
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "var __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [asciiStringWidth],
});

// The cache is taken after a run of `snapshot --help` in a fresh process, so it holds the start-up
// path (yargs, the command builders, help layout) already compiled, not just the top level.
execFileSync(process.execPath, ['--input-type=module', '-e', `
  import { writeFileSync } from 'node:fs';
  import { resolve } from 'node:path';
  import { loadBundle } from './bin/_load-bundle.js';
  const file = resolve('dist/bundle/cli.cjs');
  const { exports, script } = loadBundle(file);
  await exports.run(['snapshot', '--help']);
  writeFileSync(file + '.cache', script.createCachedData());
`], { stdio: ['ignore', 'ignore', 'inherit'] });
