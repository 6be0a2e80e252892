#!/usr/bin/env node
// The bin is plain JS so pnpm can link it before the first build; it loads the bundled CLI
// (dist/bundle/cli.js: one file, so start-up does not pay for resolving every module).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/bundle/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('balkan-audit is not built yet: run `pnpm install` (or `pnpm build`) in the repository root.\n');
  process.exit(1);
}
const { run } = await import(cli.href);
process.exitCode = await run(process.argv.slice(2));
