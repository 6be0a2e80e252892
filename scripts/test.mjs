#!/usr/bin/env node
// `pnpm test`: runs every package's vitest suite through turbo, then prints one closing line
// ("N passed, N failed, N skipped") summed from the JSON results each suite wrote, so a CI log
// says in one place how many tests ran. Extra arguments go to `turbo run test` (e.g. --filter).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const suites = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
  .concat(join(root, 'test'))
  .filter((dir) => existsSync(join(dir, 'package.json')));

for (const suite of suites) rmSync(join(suite, '.vitest-results.json'), { force: true });

const turbo = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=2', '--continue', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const suite of suites) {
  const file = join(suite, '.vitest-results.json');
  if (!existsSync(file)) {
    missing.push(relative(root, suite));
    continue;
  }
  const result = JSON.parse(readFileSync(file, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  skipped += result.numPendingTests + (result.numTodoTests ?? 0);
}
if (missing.length > 0 && process.argv.length <= 2) console.log(`no test results from: ${missing.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);
