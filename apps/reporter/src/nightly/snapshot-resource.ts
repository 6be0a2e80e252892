import { createHash } from 'node:crypto';
import type { ExportClient, ExportProgress, ExportSummary } from '@balkan-audit/client';
import { baselineChange, diffTables, failedChange, hasChanges, tamperedEvent, unchangedChange, type EventRuleTable, type ResourceChange } from '@balkan-audit/diff';
import { normaliseIncremental, serialiseCanonical, type CanonicalTable, type RawDigests, type Redactor } from '@balkan-audit/schema';
import type { ManifestEntry, SnapshotStore, TamperedFile } from '@balkan-audit/store';
import { isBalkanAuditError } from '@balkan-audit/errors';
import { CliError, isSystemError } from '../_errors.js';
import type { ResourceSettings } from '../config/settings.js';
import { checkMassDelete } from './guards.js';

export interface ResourceInput {
  readonly resource: string;
  /** Its schema (a configured key) and the columns the config makes volatile or ignores. */
  readonly settings: ResourceSettings;
  readonly store: SnapshotStore;
  /** The commit the previous snapshot is read from (null on a first run). */
  readonly headRef: string | null;
  readonly previous: ManifestEntry | null;
  /** The committed file no longer matches `previous`: never trust the export short-circuit or the cache. */
  readonly tampered: TamperedFile | null;
  /**
   * Tonight's key is not the one the committed fingerprints were made with (`--rekey`): the
   * resource is re-derived in full, and fingerprint changes are not comparable.
   */
  readonly rekeyed: boolean;
  readonly client: ExportClient;
  readonly campaigns: { readonly includeCompleted: boolean; readonly includeDraft: boolean };
  readonly redactor: Redactor;
  readonly rules: EventRuleTable;
  readonly allowMassDelete: boolean;
  readonly fetchedAt: string;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((event: ExportProgress) => void) | undefined;
  readonly onStage?: ((resource: string, stage: string, ms: number, rssBytes: number) => void) | undefined;
}

export interface ResourceOutcome {
  readonly resource: string;
  readonly change: ResourceChange;
  /** The manifest entry after this run, or null for a resource that failed before it ever had a snapshot. */
  readonly entry: ManifestEntry | null;
  /** Canonical bytes to commit, or null to keep what HEAD has (failed, or unchanged export). */
  readonly canonical: Buffer | null;
  readonly export: ExportSummary | null;
  /** The raw export was byte-identical to the last one, so it was not parsed at all. */
  readonly shortCircuit: boolean;
  /** Records taken over from the previous snapshot without parsing (their raw bytes were unchanged). */
  readonly reused: number;
  /** Raw-record digests of `canonical`, for tomorrow's incremental run (null: none to keep). */
  readonly cache: RawDigests | null;
}

/**
 * Export, normalise and diff one resource. A failure of the resource (the API, its data, a guard)
 * becomes a `failed` outcome; a failure of this machine (a Node system error: disk, permissions)
 * is thrown, since it is no fault of the resource and the night must not record it as one.
 */
export async function snapshotResource(input: ResourceInput): Promise<ResourceOutcome> {
  const { resource, previous } = input;
  const stage = stageTimer(input);
  const tampered = input.tampered === null ? [] : [tamperedEvent(input.rules, {
    resource, file: input.tampered.path, commit: input.tampered.commit && { oid: input.tampered.commit.oid, subject: input.tampered.commit.subject },
  })];
  // Held in memory, never written to disk: the raw export carries the tenant's secrets. `raw` is
  // dropped once normalised, so its bytes are not held through diff, serialisation and commit.
  let exported: ExportSummary;
  let raw: Buffer | null;
  // The export behind the committed file, when the manifest knows it and the file is what the
  // manifest says: the client then only hashes a body that turns out to be the same one.
  const trusted = input.tampered === null && !input.rekeyed;
  const behindHead = trusted && input.headRef !== null && previous !== null && previous.canonicalSha256 !== null ? previous : null;
  const known = behindHead?.rawSha256 && behindHead.rawBytes !== undefined ? { bytes: behindHead.rawBytes, sha256: behindHead.rawSha256 } : undefined;
  try {
    ({ content: raw, ...exported } = await stage('exported', () => input.client.exportToMemory(resource, {
      signal: input.signal,
      campaigns: input.campaigns,
      known,
      onProgress: input.onProgress,
    })));
  } catch (error) {
    return failed(input, error, null, tampered);
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
    const { schema } = input.settings;
    const { redactor, headRef } = input;
    // A tampered file is read as HEAD holds it, and nothing the last night kept about it is trusted.
    const committed = headRef === null ? null : await stage('read the previous snapshot', () => input.store.readTable(resource, {
      schema, redactor, ref: headRef, cached: input.tampered === null,
    }));
    const prev = committed?.table ?? null;
    const { table: next, digests, reused } = await stage('normalised', async () => normaliseIncremental(raw!, schema, {
      file: `${resource}.csv`,
      redactor,
      previous: committed?.digests ? { table: committed.table, digests: committed.digests } : null,
    }));
    raw = null;
    const diffOptions = { rules: input.rules, comparableFingerprints: !input.rekeyed, ...input.settings.columns };
    const compared = await stage('compared', async () => (prev === null ? baselineChange(next, diffOptions) : diffTables(prev, next, diffOptions)));
    if (prev !== null && !input.allowMassDelete) {
      const verdict = checkMassDelete(resource, prev.rows.length, next.rows.length, compared.counts.removed);
      if (verdict) return failed(input, new CliError(verdict.code, verdict.message), exported, tampered);
    }
    // Nothing to record (the only differences are in `ignore` columns): last night's file and entry
    // stay, so git and the nightly pull request see no change; the ignored values are brought up to
    // date with the resource's next real change.
    if (prev !== null && !hasChanges(compared) && trusted && input.previous?.status === 'ok') {
      return { resource, change: compared, entry: input.previous, canonical: null, export: exported, shortCircuit: false, reused, cache: null };
    }
    const canonical = await stage('serialised', async () => serialiseCanonical(next));
    const entry = entryFor(next, canonical, exported, input);
    const change = { ...compared, events: [...tampered, ...compared.events] };
    return { resource, change, entry, canonical, export: exported, shortCircuit: false, reused, cache: digests };
  } catch (error) {
    return failed(input, error, exported, tampered);
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

function entryFor(table: CanonicalTable, canonical: Buffer, exported: ExportSummary, input: ResourceInput): ManifestEntry {
  const canonicalSha256 = createHash('sha256').update(canonical).digest('hex');
  const { previous } = input;
  // Same meaning as last night (e.g. rows came back in another order): keep the old entry whole, so
  // the manifest, and therefore git, do not change at all. Not a tampered one: it may be forged.
  if (input.tampered === null && previous?.status === 'ok' && previous.canonicalSha256 === canonicalSha256) return previous;
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

function failed(input: ResourceInput, error: unknown, exported: ExportSummary | null, events: ResourceChange['events']): ResourceOutcome {
  if (isSystemError(error)) throw error;
  const reason = describeError(error);
  const { previous } = input;
  const change = failedChange(input.resource, reason, previous?.rows);
  return {
    resource: input.resource,
    change: { ...change, events: [...events, ...change.events] },
    // A resource that never had a snapshot gets no manifest entry: the change set reports it.
    entry: previous ? { ...previous, status: 'failed', error: reason } : null,
    canonical: null,
    export: exported,
    shortCircuit: false,
    reused: 0,
    cache: null,
  };
}

/** A coded error keeps its code; anything else is reported as unexpected (and is a bug). */
function describeError(error: unknown): { code: string; message: string } {
  if (isBalkanAuditError(error)) return { code: error.code, message: error.message };
  return { code: 'UNEXPECTED_ERROR', message: `unexpected error (a bug in balkan-audit): ${error instanceof Error ? error.message : String(error)}` };
}
