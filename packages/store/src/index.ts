export { openSnapshotStore, resolveStoreOptions } from './open.js';
export type { SnapshotStoreOptionsResolved } from './open.js';
export { serialiseManifest, parseManifest } from './manifest.js';
export { verifySnapshot } from './verify.js';
export { resolveAuthor, defaultAuthorIdentity } from './author.js';
export { StoreError } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export type {
  SnapshotStoreOptions, SnapshotStore, StoreLock, LockOptions, LogOptions, CommitInfo, GitPerson,
  Manifest, ManifestEntry, CommitSnapshotInput, CommitSnapshotResult, VerifyResult, VerifyProblem,
  ReadTableOptions, RedactionKeyOptions, SnapshotCheck, TableAt, TamperedFile, FileRevision, RevisionsOptions, ReadRecordOptions,
} from './types.js';
