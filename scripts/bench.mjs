#!/usr/bin/env node
// `pnpm bench [name…] [--rows N]`: runs the benchmarks under test/bench/ one after another (each
// file named *.bench.ts is a standalone script that measures our code and its anchors in child
// processes and prints a table). Results are recorded by hand in docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const testDir = fileURLToPath(new URL('../test/', import.meta.url));
const args = process.argv.slice(2);
const names = args.filter((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
const options = args.filter((a) => !names.includes(a));
const benches = readdirSync(join(testDir, 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => names.length === 0 || names.some((name) => file.startsWith(name)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n## ${file}\n`);
  const result = spawnSync(process.execPath, ['--conditions=@balkan-audit/source', '--import', 'tsx', join('bench', file), ...options], {
    cwd: testDir,
    stdio: 'inherit',
  });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
