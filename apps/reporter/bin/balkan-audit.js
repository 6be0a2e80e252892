#!/usr/bin/env node
// The bin is plain JS so pnpm can link it before the first build; it loads the bundled CLI
// (dist/bundle/cli.cjs: one file, so start-up does not pay for resolving every module, compiled
// from V8's code cache; see _load-bundle.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBundle } from './_load-bundle.js';

const cli = fileURLToPath(new URL('../dist/bundle/cli.cjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('balkan-audit is not built yet: run `pnpm install` (or `pnpm build`) in the repository root.\n');
  process.exit(1);
}
process.exitCode = await loadBundle(cli).exports.run(process.argv.slice(2));
