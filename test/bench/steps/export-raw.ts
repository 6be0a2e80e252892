/**
 * Bench anchor: the same three requests with bare fetch, the body piped straight to a file — no
 * hashing, no record counting, no retries. What the client's extra work costs is the difference.
 * Prints one JSON line: { bytes, ms }.
 */
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { setTimeout as delay } from 'node:timers/promises';
import { benchArgs } from '../harness.js';

const args = benchArgs({ resource: 'integrations', out: '' });
const started = Date.now();
const post = await fetch(`${process.env.BENCH_API_URL!}/api/rest/v0/${args.resource!}/download-url`, {
  method: 'POST',
  headers: { 'X-Api-Key-ID': process.env.BENCH_API_KEY_ID!, 'X-Api-Key-Secret': process.env.BENCH_API_KEY_SECRET!, 'Content-Type': 'application/json' },
});
const { pollingUrl, url } = (await post.json()) as { pollingUrl: string; url: string };
while ((await fetch(pollingUrl, { method: 'HEAD' })).status !== 200) await delay(20);
const response = await fetch(url);
await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), createWriteStream(args.out!));
console.log(JSON.stringify({ bytes: (await stat(args.out!)).size, ms: Date.now() - started }));
