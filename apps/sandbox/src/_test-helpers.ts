import { parse } from 'csv-parse/sync';
import { afterEach } from 'vitest';
import { createSandbox } from './sandbox.js';
import type { Sandbox, SandboxOptions, SandboxUrls } from './types.js';

/**
 * Parses served CSV strictly (csv-parse's defaults: a quote inside an unquoted cell, text after a
 * closing quote or an unclosed quote all throw), so a test proves the sandbox serves real RFC 4180.
 * Records may differ in length: the `malformed` and `empty` faults are checked through this too.
 */
export function parseCsv(text: string): string[][] {
  return parse(text, { bom: true, relax_column_count: true }) as string[][];
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
  /** POSTs a download-url request (campaigns with both filters on) and returns the two links. */
  links(resource: string): Promise<{ pollingUrl: string; url: string }>;
  /** POST, poll until ready, GET: the whole protocol, returning the download response. */
  exportOf(resource: string, body?: unknown): Promise<Response>;
}

/**
 * A sandbox per test: returns `start(options)`, and closes whatever it started after each test.
 * `defaults` apply to every start in the file.
 */
export function useSandbox(defaults: SandboxOptions = {}): (options?: SandboxOptions) => Promise<Running> {
  let running: Running | null = null;
  afterEach(async () => {
    await running?.sandbox.close();
    running = null;
  });
  return async (options = {}) => {
    running = await startSandbox({ ...defaults, ...options });
    return running;
  };
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
  const request = async (resource: string, body?: unknown): Promise<{ pollingUrl: string; url: string }> => {
    const answer = await post(resource, body ?? (resource === 'campaigns' ? { includeCompleted: true, includeDraft: true } : undefined));
    if (answer.status !== 200) throw new Error(`POST ${resource}: ${answer.status}`);
    return (await answer.json()) as { pollingUrl: string; url: string };
  };
  const links = (resource: string): Promise<{ pollingUrl: string; url: string }> => request(resource);
  const exportOf = async (resource: string, body?: unknown): Promise<Response> => {
    const { pollingUrl, url } = await request(resource, body);
    for (let attempt = 0; attempt < 200; attempt++) {
      const head = await fetch(pollingUrl, { method: 'HEAD' });
      if (head.status === 200) return fetch(url);
      if (head.status !== 404) throw new Error(`HEAD ${resource}: ${head.status}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`${resource} never became ready`);
  };
  return { sandbox, urls, post, links, exportOf };
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
