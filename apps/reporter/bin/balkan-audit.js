#!/usr/bin/env node
// The bin is plain JS so pnpm can link it before the first build; it runs the bundled CLI
// (dist/bundle/cli.cjs: one file, so start-up does not pay for resolving every module).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('../dist/bundle/cli.cjs');
if (!existsSync(cli)) {
  process.stderr.write('balkan-audit is not built yet: run `pnpm install` (or `pnpm build`) in the repository root.\n');
  process.exit(1);
}
process.exitCode = await require(cli).run(process.argv.slice(2));
