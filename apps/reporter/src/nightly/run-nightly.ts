import type { ExportClient, ExportProgress } from '@balkan-audit/client';
import { buildChangeSet, DEFAULT_EVENT_RULES, hasChanges, rekeyedEvent, type AuditEvent, type ChangeSet, type EventRuleTable } from '@balkan-audit/diff';
import { createRedactor, type RawDigests } from '@balkan-audit/schema';
import {
  manifestKey, openSnapshotStore, serialiseManifest, withoutMac, type CommitSigner, type Manifest, type ManifestEntry, type SnapshotStore,
  type TamperedFile,
} from '@balkan-audit/store';
import { renderCommitMessage } from '@balkan-audit/report';
import { CliError } from '../_errors.js';
import { configSettings, type ResourceSettings } from '../config/settings.js';
import { mapConcurrent } from '../map-concurrent.js';
import { nightlyKey, REDACTION_KEY_ENV, type ResolvedKey } from '../redaction-key.js';
import { canVouch, distrustedResources } from './manifest-trust.js';
import { snapshotResource, type ResourceOutcome } from './snapshot-resource.js';

export interface NightlyOptions {
  /** Repository directory (created and initialised when it has no repository). */
  readonly repo: string;
  /** Snapshot directory inside the repository. @default 'snapshots' */
  readonly snapshotDir: string;
  /** Branch to commit on. @default the checked-out branch */
  readonly branch?: string | undefined;
  /** Let `openSnapshotStore` create `repo` inside another repository's working tree (the demo). @default false */
  readonly nested?: boolean;
  readonly resources: readonly string[];
  /** Each resource's schema and compared columns (the config file's). @default the built-in schema, every column */
  readonly resourceSettings?: (resource: string) => ResourceSettings;
  readonly client: ExportClient;
  readonly campaigns: { readonly includeCompleted: boolean; readonly includeDraft: boolean };
  /**
   * Where the redaction key comes from, once the store has opened the repository: the
   * environment (`BALKAN_AUDIT_REDACTION_KEY`, `CI`) or the repository's own key (the demo).
   */
  readonly redactionKey: { readonly env: Readonly<Record<string, string | undefined>> } | 'repository';
  /** Accept a redaction key other than the one the committed snapshot was made with. @default false */
  readonly rekey?: boolean;
  /** Commit the snapshot (false: compute and report only). */
  readonly commit: boolean;
  readonly allowEmpty: boolean;
  readonly allowMassDelete: boolean;
  readonly lockTimeoutMs: number;
  readonly tenant: string | null;
  readonly author?: { readonly name: string; readonly email: string } | undefined;
  /** Signs the snapshot commit (`--sign`), resolved before the night starts. */
  readonly signer?: CommitSigner | undefined;
  /** Resources exported at once. @default 3 */
  readonly concurrency: number;
  readonly version: string;
  /** @default DEFAULT_EVENT_RULES */
  readonly rules?: EventRuleTable;
  /** Aborting stops the night: exports are cancelled, nothing is committed (NIGHT_INTERRUPTED). */
  readonly signal?: AbortSignal | undefined;
  readonly now?: () => Date;
  readonly onKey?: (key: ResolvedKey) => void;
  readonly onProgress?: (event: ExportProgress) => void;
  readonly onResource?: (outcome: ResourceOutcome) => void;
  /** Called as each resource passes a stage, with its duration and the process's RSS after it (`--verbose`). */
  readonly onStage?: (resource: string, stage: string, ms: number, rssBytes: number) => void;
}

export interface NightlyResult {
  readonly changeSet: ChangeSet;
  /** The new commit, or null when nothing changed (or `commit` was false, or every resource failed). */
  readonly commit: string | null;
  readonly failed: readonly string[];
  /** Something differs from the previous snapshot (records, columns, or a failure recorded). */
  readonly changed: boolean;
  readonly outcomes: readonly ResourceOutcome[];
  readonly store: SnapshotStore;
}

/**
 * One nightly cycle: open the repository, resolve its redaction key, take the run lock, check the
 * committed files against the manifest, export (a few at a time) → normalise → diff against the
 * branch tip → guards → commit → change set. Raw exports are held in memory only: they still hold
 * the tenant's secrets.
 */
export async function runNightly(options: NightlyOptions): Promise<NightlyResult> {
  const now = options.now ?? (() => new Date());
  const runAt = now();
  const rules = options.rules ?? DEFAULT_EVENT_RULES;
  const settingsOf = options.resourceSettings ?? configSettings({}).resource;
  const store = await openSnapshotStore({ dir: options.repo, snapshotDir: options.snapshotDir, branch: options.branch, nested: options.nested });
  const key = options.redactionKey === 'repository'
    ? { key: (await store.redactionKey({ create: true }))!, source: 'repository' as const }
    : await nightlyKey(store, options.redactionKey.env);
  options.onKey?.(key);
  const redactor = createRedactor(key.key);
  const macKey = manifestKey(key.key);
  const lock = await store.lock({ timeoutMs: options.lockTimeoutMs });
  try {
    // Refused before minutes of exports (and again by the commit itself); a killed run's leftovers repaired.
    if (options.commit) await store.checkWorkTree();
    const head = await store.head();
    const sealed = head ? await store.readManifest(head.oid) : null;
    const previous = sealed && withoutMac(sealed);
    const rekeyed = checkKey(previous, redactor.keyId, options.rekey === true);
    const check = head && previous ? await store.checkSnapshot(previous, head.oid) : null;
    const distrusted = head && sealed ? await distrustedResources(store, sealed, macKey, head.oid) : new Map<string, TamperedFile>();
    const tampered = new Map<string, TamperedFile>([...distrusted, ...check?.tampered.map((t) => [t.resource, t] as const) ?? []]);
    const outcomes = await mapConcurrent(options.resources, options.concurrency, async (resource) => {
      const outcome = await snapshotResource({
        resource,
        settings: settingsOf(resource),
        store,
        headRef: head?.oid ?? null,
        previous: previous?.resources[resource] ?? null,
        tampered: tampered.get(resource) ?? null,
        rekeyed: rekeyed !== null,
        client: options.client,
        campaigns: options.campaigns,
        redactor,
        rules,
        allowMassDelete: options.allowMassDelete,
        fetchedAt: runAt.toISOString(),
        signal: options.signal,
        onProgress: options.onProgress,
        onStage: options.onStage,
      });
      options.onResource?.(outcome);
      return outcome;
    });
    throwIfInterrupted(options.signal);

    const manifest = nextManifest(previous, outcomes, { tenant: options.tenant, runAt, keyId: redactor.keyId, blobIds: check?.blobIds ?? new Map() });
    const manifestChanged = previous === null || !serialiseManifest(previous).equals(serialiseManifest(manifest));
    const changes = outcomes.map((o) => o.change);
    const runEvents: AuditEvent[] = rekeyed === null ? [] : [rekeyedEvent(rules, rekeyed)];
    const draft = buildChangeSet({
      resources: changes,
      events: runEvents,
      tenant: options.tenant,
      from: head ? { commit: head.oid, date: head.date } : null,
      to: { commit: null, date: runAt.toISOString() },
      generatedAt: runAt,
    });

    // A night where no resource produced a snapshot (every export failed) is no snapshot at all:
    // the change set and the exit code report it, the audit trail does not.
    const produced = outcomes.some((o) => o.change.status !== 'failed');
    const rewritten = outcomes.some((o) => o.canonical !== null);
    const files = new Map<string, Buffer>();
    const cache = new Map<string, RawDigests>();
    for (const o of outcomes) {
      if (o.canonical) files.set(o.resource, o.canonical);
      if (o.cache) cache.set(o.resource, o.cache);
    }
    const vouched = canVouch(distrusted, new Set(files.keys()));
    // A manifest written before MACs gets one at once, not whenever the tenant next changes: until
    // then a file + manifest edit would pass, and each night would look through history for a MAC.
    const sealing = vouched && sealed !== null && sealed.mac === undefined;
    let commit: string | null = null;
    if (options.commit && produced && (manifestChanged || rewritten || options.allowEmpty || sealing)) {
      const started = performance.now();
      const result = await store.commitSnapshot({
        files,
        manifest,
        message: renderCommitMessage(draft, { tenant: options.tenant, runAt, version: options.version }),
        author: options.author,
        allowEmpty: options.allowEmpty,
        now: runAt,
        signal: options.signal,
        cache,
        macKey: vouched ? macKey : undefined,
        signer: options.signer,
      });
      commit = result.commit;
      options.onStage?.('git', result.commit ? 'committed' : 'nothing to commit', performance.now() - started, process.memoryUsage.rss());
    }
    const changeSet = commit === null ? draft : { ...draft, to: { commit, date: runAt.toISOString() } };
    const failed = outcomes.filter((o) => o.change.status === 'failed').map((o) => o.resource);
    return { changeSet, commit, failed, changed: manifestChanged || changes.some(hasChanges) || runEvents.length > 0, outcomes, store };
  } finally {
    await lock.release();
  }
}

/**
 * The key id the committed snapshot was made with against tonight's: equal (or not recorded yet)
 * is fine; another key is REDACTION_KEY_MISMATCH unless `rekey` accepts it. Returns the change
 * accepted, or null.
 */
function checkKey(previous: Manifest | null, keyId: string, rekey: boolean): { from: string; to: string } | null {
  const recorded = previous?.redactionKeyId;
  if (recorded === undefined || recorded === keyId) return null;
  if (rekey) return { from: recorded, to: keyId };
  throw new CliError('REDACTION_KEY_MISMATCH', `the committed snapshot's secrets were fingerprinted with redaction key ${recorded}, but this run's key is ${keyId}; comparing them would report every secret as rotated, so nothing was exported or committed`, {
    data: { recorded, current: keyId },
    hint: `set ${REDACTION_KEY_ENV} to the key these snapshots were made with (its id is ${recorded}); or, if the key was lost or changed on purpose, run once with --rekey to accept the new key (recorded as one redaction.rekeyed event)`,
  });
}

function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new CliError('NIGHT_INTERRUPTED', 'the night was interrupted; nothing was committed and the last snapshot is intact', { data: { reason: String(signal.reason) } });
  }
}

interface ManifestContext {
  readonly tenant: string | null;
  readonly runAt: Date;
  readonly keyId: string;
  /** Blob ids of the committed files that matched their entries (recorded where an entry lacks one). */
  readonly blobIds: ReadonlyMap<string, string>;
}

/**
 * The manifest after this run: entries of resources not in this run are carried over untouched;
 * a resource that failed before it ever had a snapshot gets none.
 */
function nextManifest(previous: Manifest | null, outcomes: readonly ResourceOutcome[], context: ManifestContext): Manifest {
  const resources: Record<string, ManifestEntry> = { ...(previous?.resources ?? {}) };
  for (const o of outcomes) if (o.entry !== null) resources[o.resource] = o.entry;
  for (const [name, entry] of Object.entries(resources)) {
    const blobId = context.blobIds.get(name);
    if (entry.blobId === undefined && blobId !== undefined) resources[name] = { ...entry, blobId };
  }
  const draft: Manifest = {
    schemaVersion: 1, tenant: context.tenant, generatedAt: previous?.generatedAt ?? context.runAt.toISOString(), redactionKeyId: context.keyId, resources,
  };
  // generatedAt moves only when something else did, so an unchanged night leaves the file byte-identical.
  if (previous && !serialiseManifest(previous).equals(serialiseManifest(draft))) {
    return { ...draft, generatedAt: context.runAt.toISOString() };
  }
  return draft;
}
