#!/usr/bin/env node
// The bin is plain JS so pnpm can link it before the first build; it loads the compiled CLI.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('balkan-audit is not built yet: run `pnpm install` (or `pnpm build`) in the repository root.\n');
  process.exit(1);
}
const { run } = await import(cli.href);
process.exitCode = await run(process.argv.slice(2));
