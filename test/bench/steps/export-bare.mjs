// Bench anchor for the unchanged night: a plain-JS script (no build, no tsx) that does what an
// unchanged night cannot skip — start Node, request the export, poll, download it — with bare
// fetch, discarding the body (no hashing, no buffer). Prints one JSON line: { bytes, ms }.
const started = Date.now();
const base = process.env.BENCH_API_URL;
const post = await fetch(`${base}/api/rest/v0/integrations/download-url`, {
  method: 'POST',
  headers: { 'X-Api-Key-ID': process.env.BENCH_API_KEY_ID, 'X-Api-Key-Secret': process.env.BENCH_API_KEY_SECRET, 'Content-Type': 'application/json' },
});
const { pollingUrl, url } = await post.json();
while ((await fetch(pollingUrl, { method: 'HEAD' })).status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
const reader = (await fetch(url)).body.getReader();
let bytes = 0;
for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.length;
console.log(JSON.stringify({ bytes, ms: Date.now() - started }));
