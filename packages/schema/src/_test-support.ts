import { readFileSync } from 'node:fs';
import { normaliseCsv } from './normalise.js';
import { createRedactor } from './redact.js';
import { getSchema } from './schemas.js';
import type { CanonicalTable, CsvInput } from './types.js';

export const redactor = createRedactor('schema-tests');

export function fixture(resource: string): Buffer {
  return readFileSync(new URL(`./fixtures/${resource}.csv`, import.meta.url));
}

export function normalise(resource: string, input: CsvInput, key?: string[]): Promise<CanonicalTable> {
  return normaliseCsv(input, getSchema(resource, key ? { key } : {}), { file: `${resource}.csv`, redactor });
}

/** The rejection's `code` (tests assert codes, not wording). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'resolved';
}

export async function* chunked(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

export interface Failure {
  readonly code: string;
  readonly data: Record<string, unknown>;
  readonly message: string;
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    return error as Failure;
  }
  throw new Error('expected a rejection');
}
