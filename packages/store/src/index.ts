export { openSnapshotStore, resolveStoreOptions } from './open.js';
export type { SnapshotStoreOptionsResolved } from './open.js';
export { serialiseManifest, parseManifest } from './manifest.js';
export { verifySnapshot } from './verify.js';
export type { VerifySnapshotOptions } from './verify.js';
export { manifestKey, withoutMac } from './mac.js';
export type { ManifestKey, ManifestMacStatus } from './mac.js';
export { openPgpSigner, openPgpVerifier } from './openpgp.js';
export type { OpenPgpSignerOptions } from './openpgp.js';
export { resolveAuthor, defaultAuthorIdentity } from './author.js';
export { StoreError } from './errors.js';
export type { StoreErrorCode } from './errors.js';
export type {
  SnapshotStoreOptions, SnapshotStore, StoreLock, LockOptions, LogOptions, CommitInfo, GitPerson,
  Manifest, ManifestEntry, CommitSnapshotInput, CommitSnapshotResult, VerifyResult, VerifyProblem,
  ReadTableOptions, RedactionKeyOptions, SnapshotCheck, TableAt, TamperedFile, FileRevision, RevisionsOptions, ReadRecordOptions,
  CommitSigner, SignatureVerifier, SignatureCheck, ManifestTrust, VerifyProblemKind, VerifyHistoryOptions, VerifyHistoryResult, HistoryProblem,
} from './types.js';
