import { createSandbox } from './sandbox.js';
import type { Sandbox, SandboxOptions, SandboxUrls } from './types.js';

/** A strict RFC 4180 reader for the tests: rejects quotes in unquoted cells and unclosed quotes. */
export function parseCsv(text: string): string[][] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < body.length) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') {
        quoted = false;
        const next = body[i + 1];
        if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') throw new Error(`text after a closing quote at ${i}`);
        i += 1;
        continue;
      }
      cell += ch;
      i += 1;
      continue;
    }
    if (ch === '"') {
      if (cell !== '') throw new Error(`quote inside an unquoted cell at ${i}`);
      quoted = true;
    } else if (ch === ',') {
      record.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      if (ch === '\r' && body[i + 1] === '\n') i += 1;
    } else {
      cell += ch;
    }
    i += 1;
  }
  if (quoted) throw new Error('unclosed quote at end of file');
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records;
}

/** Header → cells objects for a parsed CSV. */
export function recordsOf(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsv(text);
  return { header, rows: rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))) };
}

export interface Running {
  readonly sandbox: Sandbox;
  readonly urls: SandboxUrls;
  /** POSTs a download-url request with the sandbox's keys (unless `headers` overrides them). */
  post(resource: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** POST, poll until ready, GET: the whole protocol, returning the download response. */
  exportOf(resource: string, body?: unknown): Promise<Response>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Running> {
  const sandbox = createSandbox(options);
  const urls = await sandbox.listen(0);
  const post = (resource: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> => fetch(
    `${urls.apiUrl}/api/rest/v0/${resource}/download-url`,
    {
      method: 'POST',
      headers: { 'X-Api-Key-ID': sandbox.apiKeyId, 'X-Api-Key-Secret': sandbox.apiKeySecret, 'Content-Type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    },
  );
  const exportOf = async (resource: string, body?: unknown): Promise<Response> => {
    const answer = await post(resource, body ?? (resource === 'campaigns' ? { includeCompleted: true, includeDraft: true } : undefined));
    if (answer.status !== 200) throw new Error(`POST ${resource}: ${answer.status}`);
    const { pollingUrl, url } = (await answer.json()) as { pollingUrl: string; url: string };
    for (let attempt = 0; attempt < 200; attempt++) {
      const head = await fetch(pollingUrl, { method: 'HEAD' });
      if (head.status === 200) return fetch(url);
      if (head.status !== 404) throw new Error(`HEAD ${resource}: ${head.status}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`${resource} never became ready`);
  };
  return { sandbox, urls, post, exportOf };
}

/** Reads a response body chunk by chunk; reports the bytes received and whether it ended in an error. */
export async function readAll(response: Response): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  try {
    const reader = response.body?.getReader();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      bytes += chunk.value.length;
    }
    return { bytes, error: null };
  } catch (error) {
    return { bytes, error };
  }
}
