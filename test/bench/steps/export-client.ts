/**
 * Bench step: one export through @balkan-audit/client (stream to disk, sha256).
 * The sandbox runs in the parent bench process, so this process's peak RSS is the client's alone.
 * Prints one JSON line: { bytes, sha256, ms }.
 */
import { createExportClient } from '@balkan-audit/client';
import { benchArgs } from '../harness.js';

const args = benchArgs({ resource: 'integrations', out: '' });
const client = createExportClient({
  baseUrl: process.env.BENCH_API_URL!,
  apiKeyId: process.env.BENCH_API_KEY_ID!,
  apiKeySecret: process.env.BENCH_API_KEY_SECRET!,
  poll: { initialDelayMs: 20 },
});
const result = await client.exportToFile(args.resource!, args.out!);
console.log(JSON.stringify({ bytes: result.bytes, sha256: result.sha256, ms: result.timings.totalMs }));
