import { createHash } from 'node:crypto';
import type { ExportClient, ExportSummary } from '@balkan-audit/client';
import { baselineChange, diffTables, failedChange, unchangedChange, type ResourceChange } from '@balkan-audit/diff';
import {
  canonicalLayout, cutCanonical, getSchema, normaliseIncremental, parseCanonical, serialiseCanonical,
  type CanonicalTable, type NormaliseOptions, type Redactor, type ResourceSchema,
} from '@balkan-audit/schema';
import type { ManifestEntry, SnapshotStore } from '@balkan-audit/store';
import { isCodedError } from '../_errors.js';
import type { CachedSnapshot, DigestCache } from './digest-cache.js';
import { checkMassDelete } from './guards.js';

export interface ResourceInput {
  readonly resource: string;
  readonly store: SnapshotStore;
  /** The commit the previous snapshot is read from (null on a first run). */
  readonly headRef: string | null;
  readonly previous: ManifestEntry | null;
  readonly client: ExportClient;
  readonly campaigns: { readonly includeCompleted: boolean; readonly includeDraft: boolean };
  readonly redactor: Redactor;
  readonly allowMassDelete: boolean;
  readonly cache: DigestCache;
  readonly fetchedAt: string;
  readonly signal?: AbortSignal | undefined;
  readonly onStage?: ((resource: string, stage: string, ms: number, rssBytes: number) => void) | undefined;
}

export interface ResourceOutcome {
  readonly resource: string;
  readonly change: ResourceChange;
  /** The manifest entry after this run. */
  readonly entry: ManifestEntry;
  /** Canonical bytes to commit, or null to keep what HEAD has (failed, or unchanged export). */
  readonly canonical: Buffer | null;
  readonly export: ExportSummary | null;
  /** The raw export was byte-identical to the last one, so it was not parsed at all. */
  readonly shortCircuit: boolean;
  /** Records taken over from the previous snapshot without parsing (their raw bytes were unchanged). */
  readonly reused: number;
  /** Raw-record digests and layout of `canonical`, for tomorrow's incremental run (null: none to keep). */
  readonly cache: CachedSnapshot | null;
}

/** Export, normalise and diff one resource; every failure becomes a `failed` outcome, never a throw. */
export async function snapshotResource(input: ResourceInput): Promise<ResourceOutcome> {
  const { resource, previous } = input;
  const stage = stageTimer(input);
  // Held in memory, never written to disk: the raw export carries the tenant's secrets. `raw` is
  // dropped once normalised, so its bytes are not held through diff, serialisation and commit.
  let exported: ExportSummary;
  let raw: Buffer | null;
  // The export behind the committed file, when the manifest knows it: the client then only hashes
  // a body that turns out to be the same one, and never assembles it.
  const behindHead = input.headRef !== null && previous !== null && previous.canonicalSha256 !== null ? previous : null;
  const known = behindHead?.rawSha256 && behindHead.rawBytes !== undefined ? { bytes: behindHead.rawBytes, sha256: behindHead.rawSha256 } : undefined;
  try {
    ({ content: raw, ...exported } = await stage('exported', () => input.client.exportToMemory(resource, {
      signal: input.signal,
      campaigns: input.campaigns,
      // The normaliser counts the rows anyway; counting during the download would visit every byte twice.
      countRecords: false,
      known,
    })));
  } catch (error) {
    return failed(input, error, null);
  }

  // Byte-identical to the export behind the committed file: nothing to parse. A failed entry still
  // carries the hashes of the last good snapshot, so a recovered export short-circuits too.
  if (behindHead !== null && (raw === null || behindHead.rawSha256 === exported.sha256)) {
    const { error: _dropped, ...rest } = behindHead;
    return {
      resource,
      change: unchangedChange(resource, behindHead.rows),
      entry: behindHead.status === 'ok' ? behindHead : { ...rest, status: 'ok' },
      canonical: null,
      export: exported,
      shortCircuit: true,
      reused: behindHead.rows,
      cache: null,
    };
  }

  try {
    const schema = getSchema(resource);
    const file = `${resource}.csv`;
    const options = { file, redactor: input.redactor };
    const { table: prev, cached } = await stage('read the previous snapshot', () => readPrevious(input, schema, options));
    const { table: next, digests, reused } = await stage('normalised', async () => normaliseIncremental(raw!, schema, {
      ...options,
      previous: prev && cached ? { table: prev, digests: cached.digests } : null,
    }));
    raw = null;
    const change = await stage('compared', async () => (prev === null ? baselineChange(next) : diffTables(prev, next)));
    if (prev !== null && !input.allowMassDelete) {
      const verdict = checkMassDelete(resource, prev.rows.length, next.rows.length, change.counts.removed);
      if (verdict) return failed(input, Object.assign(new Error(verdict.message), { code: verdict.code }), exported);
    }
    const canonical = await stage('serialised', async () => serialiseCanonical(next));
    const entry = entryFor(next, canonical, exported, input);
    const cache = digests === null ? null : { digests, layout: canonicalLayout(next) };
    return { resource, change, entry, canonical, export: exported, shortCircuit: false, reused, cache };
  } catch (error) {
    return failed(input, error, exported);
  }
}

/** Runs one stage and reports its duration; a failing stage reports nothing. */
function stageTimer(input: ResourceInput): <T>(name: string, run: () => Promise<T>) => Promise<T> {
  return async (name, run) => {
    const started = performance.now();
    const result = await run();
    input.onStage?.(input.resource, name, performance.now() - started, process.memoryUsage.rss());
    return result;
  };
}

/**
 * The committed table at the branch tip and, when the cache has it for exactly that file, what
 * last night kept about it (raw digests, layout). With a layout the file is cut into rows as zlib
 * inflates it, so its bytes are never held whole beside tonight's export; without one (or when it
 * does not fit) the file is read whole and parsed.
 */
async function readPrevious(input: ResourceInput, schema: ResourceSchema, options: NormaliseOptions): Promise<{ table: CanonicalTable | null; cached: CachedSnapshot | null }> {
  if (input.headRef === null) return { table: null, cached: null };
  const blobId = await input.store.blobId(input.resource, input.headRef);
  if (blobId === null) return { table: null, cached: null };
  const cached = await input.cache.read(input.resource, blobId);
  const cut = cached && await cutCanonical(input.store.streamBlob(blobId), schema, { file: options.file, layout: cached.layout });
  if (cut) return { table: cut, cached };
  const bytes = await input.store.readResource(input.resource, input.headRef);
  // A cache whose layout did not fit its file is not trusted for the digests either.
  return { table: bytes === null ? null : await parseCanonical(bytes, schema, options), cached: null };
}

function entryFor(table: CanonicalTable, canonical: Buffer, exported: ExportSummary, input: ResourceInput): ManifestEntry {
  const canonicalSha256 = createHash('sha256').update(canonical).digest('hex');
  const { previous } = input;
  // Same meaning as last night (e.g. rows came back in another order): keep the old entry whole, so
  // the manifest, and therefore git, do not change at all.
  if (previous?.status === 'ok' && previous.canonicalSha256 === canonicalSha256) return previous;
  return {
    status: 'ok',
    rows: table.rows.length,
    columns: table.columns.map((c) => c.name),
    rawSha256: exported.sha256,
    rawBytes: exported.bytes,
    canonicalSha256,
    fetchedAt: input.fetchedAt,
  };
}

function failed(input: ResourceInput, error: unknown, exported: ExportSummary | null): ResourceOutcome {
  const reason = describeError(error);
  const { previous } = input;
  const entry: ManifestEntry = previous
    ? { ...previous, status: 'failed', error: reason }
    : { status: 'failed', rows: 0, columns: [], rawSha256: null, canonicalSha256: null, fetchedAt: null, error: reason };
  return {
    resource: input.resource,
    change: failedChange(input.resource, reason, previous?.rows),
    entry,
    canonical: null,
    export: exported,
    shortCircuit: false,
    reused: 0,
    cache: null,
  };
}

/** A coded error keeps its code; anything else is reported as unexpected (and is a bug). */
function describeError(error: unknown): { code: string; message: string } {
  if (isCodedError(error)) return { code: error.code, message: error.message };
  return { code: 'UNEXPECTED_ERROR', message: `unexpected error (a bug in balkan-audit): ${error instanceof Error ? error.message : String(error)}` };
}
