/**
 * `pnpm bench export --rows N` (default 1,000,000): exports a synthetic integrations-shaped CSV
 * (~266 bytes a row) from an in-process sandbox to disk, at rows/4 and at rows, through the client
 * and through a bare-fetch anchor. Each export runs in its own child process; the sandbox stays in
 * this process so the children's peak RSS is the downloader's alone. Streaming means peak RSS
 * should stay flat while the file grows 4×.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExportClient } from '@balkan-audit/client';
import { createSandbox } from '@balkan-audit/sandbox';
import { benchArgs, machineLine, measureNode, ratioLine, type Measurement } from './harness.js';

const args = benchArgs({ rows: '1000000', seed: '7' });
const rows = Number(args.rows);
const sizes = [Math.max(1, Math.floor(rows / 4)), rows];
const step = (name: string): string => fileURLToPath(new URL(`./steps/${name}`, import.meta.url));

const sandbox = createSandbox({ readyAfterPolls: 0 });
const { apiUrl } = await sandbox.listen(0);
const env = { BENCH_API_URL: apiUrl, BENCH_API_KEY_ID: sandbox.apiKeyId, BENCH_API_KEY_SECRET: sandbox.apiKeySecret };
const dir = await mkdtemp(join(tmpdir(), 'export-bench-'));

interface Row { readonly m: Measurement; readonly rows: number; readonly bytes: number; readonly ms: number }
const results: Row[] = [];
try {
  for (const size of sizes) {
    sandbox.setSynthetic({ resource: 'integrations', rows: size, seed: Number(args.seed), variant: 'before' });
    // The sandbox writes a synthetic export to disk on its first request: do that before measuring,
    // or the first step measured would also be waiting for the simulator's generator.
    await createExportClient({ baseUrl: apiUrl, apiKeyId: sandbox.apiKeyId, apiKeySecret: sandbox.apiKeySecret, poll: { initialDelayMs: 20 } })
      .exportToFile('integrations', join(dir, 'warm-up.csv'));
    await rm(join(dir, 'warm-up.csv'));
    for (const [label, script] of [['client', 'export-client.ts'], ['bare fetch', 'export-raw.ts']] as const) {
      const out = join(dir, `${label.replace(' ', '-')}-${size}.csv`);
      const m = await measureNode(`${label} ${size.toLocaleString('en')} rows`, step(script), ['--out', out], { env });
      const report = JSON.parse(m.stdout.trim().split('\n').pop()!) as { bytes: number; ms: number };
      results.push({ m, rows: size, bytes: report.bytes, ms: report.ms });
      await rm(out, { force: true });
    }
  }
} finally {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
}

console.log(`machine: ${machineLine()}\n`);
console.log('| step | rows | MB | export s | MB/s | process wall s | peak RSS MiB |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const { m, rows: n, bytes, ms } of results) {
  const mb = bytes / 1e6;
  console.log(`| ${m.label} | ${n.toLocaleString('en')} | ${mb.toFixed(1)} | ${(ms / 1000).toFixed(2)} | ${(mb / (ms / 1000)).toFixed(0)} | ${m.wallSeconds.toFixed(2)} | ${m.peakRssMiB?.toFixed(0) ?? '—'} |`);
}
const find = (label: string, n: number): Row => results.find((r) => r.m.label.startsWith(label) && r.rows === n)!;
const [small, large] = [find('client', sizes[0]!), find('client', sizes[1]!)];
console.log('');
console.log(ratioLine(large.m, find('bare fetch', sizes[1]!).m));
console.log(`client peak RSS: ${small.m.peakRssMiB?.toFixed(0)} MiB at ${(small.bytes / 1e6).toFixed(0)} MB → ${large.m.peakRssMiB?.toFixed(0)} MiB at ${(large.bytes / 1e6).toFixed(0)} MB (file ${(large.bytes / small.bytes).toFixed(1)}×, RSS ${((large.m.peakRssMiB ?? 0) / (small.m.peakRssMiB ?? 1)).toFixed(2)}×)`);
