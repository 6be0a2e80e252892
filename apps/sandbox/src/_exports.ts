import type { ContentFaults } from './_faults.js';
import type { GeneratorSpec } from './_synthetic-lines.js';

/** What an export serves, fixed when it was requested. */
export type ExportContent =
  | { readonly kind: 'text'; readonly bytes: Buffer }
  | { readonly kind: 'synthetic'; readonly spec: GeneratorSpec; readonly faults: ContentFaults };

/** One requested export and how far it is from ready. */
export interface ExportRecord {
  readonly id: string;
  readonly resource: string;
  readonly content: ExportContent;
  /** Exact body length; null while a synthetic export's length is still being computed. */
  length: number | null;
  /** A synthetic export's generated file, once written. */
  file: string | null;
  readonly readyAfterPolls: number;
  /** Epoch ms before which the export is not ready. */
  readonly readyAt: number;
  readonly neverReady: boolean;
  readonly truncate: boolean;
  readonly reset: boolean;
  polls: number;
  ready: boolean;
}

/**
 * Answers one `HEAD pollingUrl`: 404 for the first `readyAfterPolls` polls, and until `readyAt` and
 * a known length; once ready it stays ready.
 */
export function pollExport(record: ExportRecord, now: number): boolean {
  const pollsDone = record.polls >= record.readyAfterPolls;
  record.polls += 1;
  if (!record.ready && pollsDone) record.ready = wouldBeReady(record, now);
  return record.ready;
}

/** Whether `GET url` may serve the body. A client that skips polling only succeeds when no polls are required. */
export function downloadable(record: ExportRecord, now: number): boolean {
  if (!record.ready && record.readyAfterPolls === 0) record.ready = wouldBeReady(record, now);
  return record.ready;
}

function wouldBeReady(record: ExportRecord, now: number): boolean {
  return !record.neverReady && now >= record.readyAt && record.length !== null;
}
