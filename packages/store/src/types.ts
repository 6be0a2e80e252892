import type * as nodeFs from 'node:fs';
import type { CanonicalTable, RawDigests, Redactor, ResourceSchema } from '@balkan-audit/schema';
import type { ManifestKey } from './mac.js';

/** Options of {@link openSnapshotStore}. */
export interface SnapshotStoreOptions {
  /**
   * The repository's top level. A directory inside another repository's working tree is refused
   * (STORE_NOT_REPO_ROOT) unless `nested`; a missing one is created when `init` is on.
   */
  readonly dir: string;
  /** The file system isomorphic-git and the store use. @default node:fs */
  readonly fs?: typeof nodeFs;
  /** Where the snapshot files live, relative to the repository's top level. @default 'snapshots' */
  readonly snapshotDir?: string;
  /**
   * The branch snapshots are committed to. When it is not the checked-out branch, commits write
   * objects and the ref only, never the working tree or the index. A missing branch is created at
   * HEAD's commit. @default the checked-out branch
   */
  readonly branch?: string;
  /** Initialise a repository (default branch `main`) when `dir` has none. @default true */
  readonly init?: boolean;
  /**
   * Allow initialising a new repository in `dir` although `dir` lies inside another repository's
   * working tree (the demo's `.demo/repo`). Without it such a `dir` is refused with
   * STORE_NOT_REPO_ROOT rather than committing into the enclosing repository. @default false
   */
  readonly nested?: boolean;
}

export interface GitPerson {
  readonly name: string;
  readonly email: string;
}

export interface CommitInfo {
  readonly oid: string;
  /** Author date, ISO 8601 in UTC. */
  readonly date: string;
  readonly message: string;
  /** First line of the message. */
  readonly subject: string;
  readonly author: GitPerson;
  readonly parents: readonly string[];
}

export interface ManifestEntry {
  readonly status: 'ok' | 'failed';
  readonly rows: number;
  readonly columns: readonly string[];
  readonly rawSha256: string | null;
  /**
   * Length of that raw download in bytes. Absent in entries written before it was recorded (an
   * entry is kept whole while its snapshot does not change, so adding it never changes a file).
   */
  readonly rawBytes?: number;
  readonly canonicalSha256: string | null;
  /**
   * Git blob id of the committed canonical file. The store sets it for every file it writes, so a
   * file edited outside the tool is noticed by comparing tree entries, without reading the file.
   * Absent in entries written before it was recorded.
   */
  readonly blobId?: string;
  readonly fetchedAt: string | null;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface Manifest {
  readonly schemaVersion: 1;
  readonly tenant: string | null;
  readonly generatedAt: string;
  /**
   * Names the redaction key the snapshot's fingerprints were made with (`Redactor.keyId`). Absent
   * in manifests written before it was recorded.
   */
  readonly redactionKeyId?: string;
  readonly resources: Readonly<Record<string, ManifestEntry>>;
  /**
   * HMAC-SHA256 (hex) of the manifest's canonical serialisation without `mac`, keyed with a subkey
   * derived from the redaction key ({@link manifestKey}); set by `commitSnapshot` when given a
   * `macKey`. Absent in manifests written before it was recorded.
   */
  readonly mac?: string;
}

export interface CommitSnapshotInput {
  /**
   * Resource name → canonical CSV bytes, written to `<snapshotDir>/<resource>.csv`. The store sets
   * each one's `blobId` in the manifest it writes.
   */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Resources whose file is deleted from the tree, the working tree and the index. */
  readonly removed?: readonly string[];
  /** Written to `<snapshotDir>/manifest.json` with {@link serialiseManifest}. */
  readonly manifest: Manifest;
  readonly message: string;
  /** @default resolveAuthor(process.env, the repository's user.name / user.email) */
  readonly author?: GitPerson;
  /** Commit even when the tree equals the parent's (an evidence commit). @default false */
  readonly allowEmpty?: boolean;
  /**
   * What tomorrow's night may keep about a written file (its raw digests), by resource. Kept only
   * once the file is at the branch tip, for exactly the blob committed.
   */
  readonly cache?: ReadonlyMap<string, RawDigests>;
  /**
   * The repository's manifest key: the manifest written gets a `mac`. Without it the manifest is
   * written without one (a `mac` in the input is dropped, never carried over stale).
   */
  readonly macKey?: ManifestKey;
  /** Signs the commit (a `gpgsig` header); a failure stops the commit before anything is visible. */
  readonly signer?: CommitSigner;
  /** The commit's author and committer time. @default new Date() */
  readonly now?: Date;
  /**
   * Stops the commit while it can still stop: before the branch moves (STORE_ABORTED, nothing
   * committed, no file written). Once the branch has moved, the working tree is brought in line.
   */
  readonly signal?: AbortSignal;
}

/**
 * Signs snapshot commits (the shape of isomorphic-git's `onSign`): an ASCII-armored OpenPGP
 * detached signature over the commit object without its `gpgsig` header, as `git verify-commit`
 * checks it. See {@link openPgpSigner}.
 */
export interface CommitSigner {
  /** The signing key's fingerprint (upper-case hex), for messages. */
  readonly fingerprint: string;
  sign(payload: string): Promise<string>;
}

/** Checks commit signatures against the public keys it was made with. See {@link openPgpVerifier}. */
export interface SignatureVerifier {
  /** Fingerprints of the keys a signature is accepted from (upper-case hex). */
  readonly fingerprints: readonly string[];
  verify(payload: string, armoredSignature: string): Promise<SignatureCheck>;
}

export type SignatureCheck =
  | { readonly valid: true; readonly keyId: string }
  | { readonly valid: false; readonly reason: string };

/** A committed snapshot file that does not match its manifest (edited outside balkan-audit). */
export interface TamperedFile {
  readonly resource: string;
  /** Repository-relative path. */
  readonly path: string;
  /** The blob id the manifest records, or null (recorded before blob ids were, or not listed at all). */
  readonly expected: string | null;
  /** The blob id in the tree, or null when the file is gone. */
  readonly actual: string | null;
  /** The newest commit that changed the file (the one that made it disagree), when found. */
  readonly commit: CommitInfo | null;
}

export interface SnapshotCheck {
  readonly tampered: readonly TamperedFile[];
  /** Resource → blob id of each file that matches its manifest entry. */
  readonly blobIds: ReadonlyMap<string, string>;
}

/** A committed table, as `readTable` gives it. */
export interface TableAt {
  readonly table: CanonicalTable;
  /**
   * The raw-record digests behind the table's rows, when the store kept them for exactly this
   * file (`normaliseIncremental` then parses only the records whose raw bytes changed).
   */
  readonly digests: RawDigests | null;
}

export interface ReadTableOptions {
  readonly schema: ResourceSchema;
  /** The repository's redactor (a canonical file already holds fingerprints; it keeps them). */
  readonly redactor: Redactor;
  /** @default the branch tip */
  readonly ref?: string;
  /**
   * Use what the last night kept (false: parse the file as it is, e.g. one that no longer matches
   * its manifest).
   * @default true
   */
  readonly cached?: boolean;
}

export interface RedactionKeyOptions {
  /** Create a key when the repository has none. @default false */
  readonly create?: boolean;
}

export interface CommitSnapshotResult {
  /** The new commit, or null when nothing changed and `allowEmpty` was not set. */
  readonly commit: string | null;
  /** Repository-relative paths whose content was added, changed or removed, sorted. */
  readonly changedPaths: readonly string[];
  /** Resource → blob id of each file in `files`: what the branch tip now holds for it. */
  readonly blobIds: ReadonlyMap<string, string>;
}

export interface LogOptions {
  /** Only commits that changed `<snapshotDir>/<resource>.csv` against their first parent. */
  readonly resource?: string;
  /** @default the store's branch */
  readonly ref?: string;
  /** @default no limit */
  readonly limit?: number;
}

/** A commit that changed one resource's file, as {@link SnapshotStore.revisions} gives it. */
export interface FileRevision {
  readonly commit: CommitInfo;
  /** The file's blob id in this commit; null when the commit removed it. */
  readonly blobId: string | null;
  /** The file's blob id in the commit's first parent; null when it had none (the file is new, or a root commit). */
  readonly previousBlobId: string | null;
}

export interface RevisionsOptions {
  /** Where the walk starts. @default the store's branch */
  readonly ref?: string;
}

export interface ReadRecordOptions {
  readonly schema: ResourceSchema;
  /** Only for a file that is not canonical and must be normalised again (a hand-made commit). */
  readonly redactor: Redactor;
  /** @default the branch tip */
  readonly ref?: string;
  /** Read this blob of the resource (from {@link FileRevision}) instead of looking the file up at `ref`. */
  readonly blobId?: string;
}

export interface LockOptions {
  /** How long to wait for another run's lock; 0 fails at once. @default 0 */
  readonly timeoutMs?: number;
}

export interface StoreLock {
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

export interface SnapshotStore {
  /** The repository's top level (working tree root). */
  readonly dir: string;
  readonly gitdir: string;
  /** Repository-relative, `/`-separated, no trailing slash. */
  readonly snapshotDir: string;
  readonly branch: string;
  /** Whether `branch` is the checked-out branch (commits then update the working tree and index). */
  readonly checkedOut: boolean;
  /** The tip of the store's branch; null on an unborn branch. */
  head(): Promise<CommitInfo | null>;
  /**
   * `HEAD` (the store's branch), `HEAD~2`, `HEAD^`, a branch, a tag, a full or short sha, any of
   * them followed by `~N`/`^`. Throws STORE_BAD_REF when nothing matches.
   */
  resolve(ref: string): Promise<CommitInfo>;
  /** `<snapshotDir>/<resource>.csv` at `ref` (default the branch tip), read from git objects. */
  readResource(resource: string, ref?: string): Promise<Buffer | null>;
  /**
   * The resource's committed table at `ref` (default the branch tip), or null when it has no file
   * there. A large file is cut into rows as it inflates, at the layout the last night kept, so its
   * bytes are never held whole; the digests kept with it come along.
   */
  readTable(resource: string, options: ReadTableOptions): Promise<TableAt | null>;
  readManifest(ref?: string): Promise<Manifest | null>;
  /** The blob id of the resource's file at `ref`, without reading its content. */
  blobId(resource: string, ref?: string): Promise<string | null>;
  /** Names of the resources with a `.csv` file in the snapshot directory at `ref`, sorted. */
  listResources(ref?: string): Promise<string[]>;
  /** Author for commits: env, then the repository's git config, then `balkan-audit`. */
  defaultAuthor(env?: NodeJS.ProcessEnv): Promise<GitPerson>;
  /** Commits a snapshot on the branch. Hold {@link SnapshotStore.lock} around the whole run. */
  commitSnapshot(input: CommitSnapshotInput): Promise<CommitSnapshotResult>;
  /** Commits newest first (first-parent). */
  log(options?: LogOptions): Promise<CommitInfo[]>;
  /**
   * The commits that changed `<snapshotDir>/<resource>.csv`, newest first by committer time and
   * never a commit before one of its children (as `git log --date-order`), with the file's blob id
   * in the commit and in its first parent. The commits are read up front (no trees); the files'
   * blob ids as the caller iterates, so a caller that stops early reads no more of them. Every parent of a merge is followed: the nights of a merged nightly
   * branch are changes of their own; the merge is one only when its file matches none of its
   * parents'.
   */
  revisions(resource: string, options?: RevisionsOptions): AsyncIterable<FileRevision>;
  /**
   * The one record of `key` (schema's `keyOf` form: components joined by U+001F) in the resource's
   * committed file: a table of the file's columns holding that row, or no row when the file has
   * none; null when there is no file. The file is scanned as zlib inflates it and never parsed
   * whole: reading stops at the record, or at the first record past its key (the file is sorted).
   */
  readRecord(resource: string, key: string, options: ReadRecordOptions): Promise<CanonicalTable | null>;
  /**
   * Takes `<gitdir>/balkan-audit/run.lock`; STORE_LOCKED when another live run holds it. Releasing
   * it also removes the temp files this run left.
   */
  lock(options?: LockOptions): Promise<StoreLock>;
  /**
   * The repository's own redaction key (`<gitdir>/balkan-audit/redaction-key`, 0600, never
   * committed), created with `create` when there is none; null when there is none.
   */
  redactionKey(options?: RedactionKeyOptions): Promise<string | null>;
  /**
   * Refuses (STORE_DIRTY, listing the files) when a snapshot file holds an edit nobody committed,
   * as `commitSnapshot` does: a night calls it before minutes of exports. Files a killed run left
   * at the commit before the tip are brought in line. Nothing to do on a branch that is not checked
   * out (its commits never touch the working tree).
   */
  checkWorkTree(): Promise<void>;
  /** Compares the snapshot files at `ref` with `manifest` by blob id (see {@link TamperedFile}). */
  checkSnapshot(manifest: Manifest, ref?: string): Promise<SnapshotCheck>;
  /**
   * The manifest at `ref` (already read, as `manifest`) against its MAC with `key` (null: none at
   * hand; a stripped MAC is still found). See {@link ManifestTrust}.
   */
  checkManifestMac(manifest: Manifest, key: ManifestKey | null, ref?: string): Promise<ManifestTrust>;
  /**
   * Every commit reachable from `ref` (not only first-parent: merges too) that touched the snapshot
   * directory, each checked as `verify` checks one, plus its MAC and signature when a key is given.
   */
  verifyHistory(options?: VerifyHistoryOptions): Promise<VerifyHistoryResult>;
  /** Writes the last run's reports into `<gitdir>/balkan-audit/last-run/` (atomically); their paths. */
  saveLastRun(files: ReadonlyMap<string, string | Uint8Array>): Promise<string[]>;
}

/**
 * How far a committed manifest can be trusted against its `mac`:
 * - `valid`: MACed with the key given;
 * - `invalid`: the MAC does not match (edited by someone without the key);
 * - `stripped`: no `mac`, although an earlier manifest on the first-parent line had one;
 * - `absent`: no `mac`, written before MACs were (accepted; the next commit adds one);
 * - `other-key`: its `redactionKeyId` names another key than the one given (before a `--rekey`);
 * - `unchecked`: it has a `mac`, but no key was given.
 */
export interface ManifestTrust {
  readonly status: 'valid' | 'invalid' | 'stripped' | 'absent' | 'other-key' | 'unchecked';
  /** For `invalid` and `stripped`: the newest commit that changed the manifest. */
  readonly commit: CommitInfo | null;
}

/**
 * What `verify` finds wrong. File kinds: `missing` (listed, absent), `mismatch` (its content or
 * blob id is not the manifest's), `unlisted` (a `.csv` the manifest does not list), `corrupt` (the
 * object's content does not hash to its id). Manifest kinds: `no-manifest`, `bad-manifest` (does not
 * parse), `bad-mac` (MAC invalid), `mac-missing` (MAC stripped). Commit kinds (history, with a
 * public key): `unsigned`, `bad-signature`.
 */
export type VerifyProblemKind =
  | 'missing' | 'mismatch' | 'unlisted' | 'corrupt'
  | 'no-manifest' | 'bad-manifest' | 'bad-mac' | 'mac-missing'
  | 'unsigned' | 'bad-signature';

export interface VerifyProblem {
  readonly kind: VerifyProblemKind;
  /** The resource of a file problem; null for the manifest's and the commit's own. */
  readonly resource: string | null;
  /** Repository-relative path; null for a commit's own problem (its signature). */
  readonly path: string | null;
  /** The sha256 (or, when only the blob id disagrees, the blob id) the manifest records. */
  readonly expected: string | null;
  readonly actual: string | null;
  /** The commit that last changed the file, when it is not the one the manifest describes. */
  readonly commit: string | null;
  /** Why, in words, for the kinds whose expected/actual say too little (a parse error, a signature). */
  readonly detail?: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly commit: string;
  /** Resources whose file was re-hashed and matched. */
  readonly verified: readonly string[];
  /** The manifest against its MAC; `invalid` and `stripped` are problems too. */
  readonly mac: ManifestTrust;
  readonly problems: readonly VerifyProblem[];
}

export interface VerifyHistoryOptions {
  /** The newest commit to verify. @default the store's branch */
  readonly ref?: string;
  /** Leave out every commit reachable from this one (as `git log SINCE..REF`). @default none: all history */
  readonly since?: string;
  /** Checks each manifest's MAC (manifests MACed with another key are counted, not checked). */
  readonly macKey?: ManifestKey | null;
  /** Checks each snapshot commit's signature: unsigned and badly signed ones are problems. */
  readonly verifier?: SignatureVerifier | null;
}

/** A problem of `verifyHistory`: where it was found, and what. */
export interface HistoryProblem extends Omit<VerifyProblem, 'commit'> {
  readonly commit: string;
  /** The commit's subject (first line of its message), as git log shows it. */
  readonly subject: string;
}

export interface VerifyHistoryResult {
  readonly ok: boolean;
  /** The commit the walk started from. */
  readonly tip: string;
  /** The boundary given as `since`, resolved. */
  readonly since: string | null;
  /** Commits that touched the snapshot directory, each verified (oldest first in `problems`). */
  readonly commits: number;
  /** Distinct snapshot files (blob + manifest hash) re-hashed; the rest were known by blob id. */
  readonly filesHashed: number;
  /** Manifests by their MAC status (among the commits verified). */
  readonly macs: Readonly<Record<ManifestTrust['status'], number>>;
  /** Signatures checked and found good; null when no verifier was given. */
  readonly signatures: { readonly good: number; readonly fingerprints: readonly string[] } | null;
  readonly problems: readonly HistoryProblem[];
  /**
   * A shallow clone's edge commits the walk came to: what came before them is not in the clone and
   * was not verified (each counts as a first commit). Empty for a full repository.
   */
  readonly shallowEdge: readonly string[];
}
