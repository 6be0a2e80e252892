#!/usr/bin/env node
// `pnpm --filter @balkan-audit/reporter pack:npm`: the npm package of the CLI, `balkan-audit`, in
// dist/npm — the bin and the esbuild bundle with every dependency inlined, so it has no
// dependencies at all (no `workspace:` range can leak), and config.schema.json for editors — then `npm pack` of it into dist/.
// Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const own = JSON.parse(readFileSync('package.json', 'utf8'));
const root = JSON.parse(readFileSync('../../package.json', 'utf8'));
if (!existsSync('dist/bundle/cli.cjs')) throw new Error('dist/bundle/cli.cjs is missing: run `pnpm build` first');

rmSync('dist/npm', { recursive: true, force: true });
mkdirSync('dist/npm/dist', { recursive: true });
cpSync('bin', 'dist/npm/bin', { recursive: true });
cpSync('dist/bundle', 'dist/npm/dist/bundle', { recursive: true });
cpSync('../../README.md', 'dist/npm/README.md');
cpSync('config.schema.json', 'dist/npm/config.schema.json');
writeFileSync('dist/npm/package.json', `${JSON.stringify({
  name: 'balkan-audit',
  version: own.version,
  description: 'A nightly git audit trail of a BalkanID tenant\'s access configuration: export, normalise, diff by ID, commit, report',
  type: 'module',
  bin: { 'balkan-audit': './bin/balkan-audit.js' },
  files: ['bin', 'dist', 'config.schema.json'],
  engines: root.engines,
  keywords: ['balkanid', 'audit', 'compliance', 'identity-governance', 'git'],
}, null, 2)}\n`);
const tarball = execFileSync('npm', ['pack', '--pack-destination', '..', '--silent'], { cwd: 'dist/npm', encoding: 'utf8' }).trim().split('\n').pop();
console.log(`dist/${tarball}`);
