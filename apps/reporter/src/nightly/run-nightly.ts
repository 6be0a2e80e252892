import type { ExportClient } from '@balkan-audit/client';
import { buildChangeSet, type ChangeSet, type ResourceChange } from '@balkan-audit/diff';
import { createRedactor } from '@balkan-audit/schema';
import { openSnapshotStore, serialiseManifest, type Manifest, type ManifestEntry } from '@balkan-audit/store';
import { mapConcurrent } from '../map-concurrent.js';
import { composeCommitMessage } from './commit-message.js';
import { openDigestCache } from './digest-cache.js';
import { snapshotResource, type ResourceOutcome } from './snapshot-resource.js';

export interface NightlyOptions {
  /** Repository directory (created and initialised when it has no repository). */
  readonly repo: string;
  /** Snapshot directory inside the repository. @default 'snapshots' */
  readonly snapshotDir: string;
  /** Branch to commit on. @default the checked-out branch */
  readonly branch?: string | undefined;
  readonly resources: readonly string[];
  readonly client: ExportClient;
  readonly campaigns: { readonly includeCompleted: boolean; readonly includeDraft: boolean };
  readonly redactionKey: string | Buffer;
  /** Commit the snapshot (false: compute and report only). */
  readonly commit: boolean;
  readonly allowEmpty: boolean;
  readonly allowMassDelete: boolean;
  readonly lockTimeoutMs: number;
  readonly tenant: string | null;
  readonly author?: { readonly name: string; readonly email: string } | undefined;
  /** Resources exported at once. @default 3 */
  readonly concurrency: number;
  readonly version: string;
  readonly signal?: AbortSignal | undefined;
  readonly now?: () => Date;
  readonly onResource?: (outcome: ResourceOutcome) => void;
  /** Called as each resource passes a stage, with its duration and the process's RSS after it (`--verbose`). */
  readonly onStage?: (resource: string, stage: string, ms: number, rssBytes: number) => void;
}

export interface NightlyResult {
  readonly changeSet: ChangeSet;
  /** The new commit, or null when nothing changed (or `commit` was false). */
  readonly commit: string | null;
  readonly failed: readonly string[];
  /** Something differs from the previous snapshot (records, columns, or a failure recorded). */
  readonly changed: boolean;
  readonly outcomes: readonly ResourceOutcome[];
  /** The repository's git directory (reports default to a folder inside it). */
  readonly gitdir: string;
}

/**
 * One nightly cycle: export (a few at a time) → normalise → diff against the snapshot at the
 * branch tip → guards → commit → change set. Raw exports are held in memory only: they still hold
 * the tenant's secrets.
 */
export async function runNightly(options: NightlyOptions): Promise<NightlyResult> {
  const now = options.now ?? (() => new Date());
  const runAt = now();
  const store = await openSnapshotStore({ dir: options.repo, snapshotDir: options.snapshotDir, branch: options.branch });
  const lock = await store.lock({ timeoutMs: options.lockTimeoutMs });
  try {
    const head = await store.head();
    const previous = head ? await store.readManifest(head.oid) : null;
    const redactor = createRedactor(options.redactionKey);
    const cache = openDigestCache(store.gitdir, store.snapshotDir);
    const outcomes = await mapConcurrent(options.resources, options.concurrency, async (resource) => {
      const outcome = await snapshotResource({
        resource,
        store,
        headRef: head?.oid ?? null,
        previous: previous?.resources[resource] ?? null,
        client: options.client,
        campaigns: options.campaigns,
        redactor,
        allowMassDelete: options.allowMassDelete,
        cache,
        fetchedAt: runAt.toISOString(),
        signal: options.signal,
        onStage: options.onStage,
      });
      options.onResource?.(outcome);
      return outcome;
    });

    const manifest = nextManifest(previous, outcomes, options.tenant, runAt);
    const manifestChanged = previous === null || !serialiseManifest(previous).equals(serialiseManifest(manifest));
    const changes = outcomes.map((o) => o.change);
    const draft = buildChangeSet({
      resources: changes,
      tenant: options.tenant,
      from: head ? { commit: head.oid, date: head.date } : null,
      to: { commit: null, date: runAt.toISOString() },
      generatedAt: runAt,
    });

    let commit: string | null = null;
    if (options.commit && (manifestChanged || options.allowEmpty)) {
      const files = new Map<string, Buffer>();
      for (const o of outcomes) if (o.canonical) files.set(o.resource, o.canonical);
      const started = performance.now();
      const result = await store.commitSnapshot({
        files,
        manifest,
        message: composeCommitMessage({ changeSet: draft, tenant: options.tenant, runAt, version: options.version }),
        author: options.author,
        allowEmpty: options.allowEmpty,
        now: runAt,
      });
      commit = result.commit;
      options.onStage?.('git', result.commit ? 'committed' : 'nothing to commit', performance.now() - started, process.memoryUsage.rss());
    }
    // Tomorrow's incremental run may trust these digests only for what is now at the branch tip.
    if (commit !== null || !manifestChanged) {
      for (const o of outcomes) {
        const blobId = o.cache ? await store.blobId(o.resource) : null;
        if (o.cache && blobId) await cache.write(o.resource, blobId, o.cache);
      }
    }
    const changeSet = commit === null ? draft : { ...draft, to: { commit, date: runAt.toISOString() } };
    const failed = outcomes.filter((o) => o.change.status === 'failed').map((o) => o.resource);
    return { changeSet, commit, failed, changed: manifestChanged || hasRecordChanges(changes), outcomes, gitdir: store.gitdir };
  } finally {
    await lock.release();
  }
}

/** The manifest after this run: entries of resources not in this run are carried over untouched. */
function nextManifest(previous: Manifest | null, outcomes: readonly ResourceOutcome[], tenant: string | null, runAt: Date): Manifest {
  const resources: Record<string, ManifestEntry> = { ...(previous?.resources ?? {}) };
  for (const o of outcomes) resources[o.resource] = o.entry;
  const draft: Manifest = { schemaVersion: 1, tenant, generatedAt: previous?.generatedAt ?? runAt.toISOString(), resources };
  // generatedAt moves only when something else did, so an unchanged night leaves the file byte-identical.
  if (previous && !serialiseManifest(previous).equals(serialiseManifest(draft))) {
    return { ...draft, generatedAt: runAt.toISOString() };
  }
  return draft;
}

function hasRecordChanges(changes: readonly ResourceChange[]): boolean {
  return changes.some((c) => c.counts.added + c.counts.removed + c.counts.changed > 0
    || c.schemaChanges.addedColumns.length + c.schemaChanges.removedColumns.length > 0);
}
