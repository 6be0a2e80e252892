import type { Redactor, ResourceSchema } from '@balkan-audit/schema';
import type { CommitInfo, FileRevision, SnapshotStore } from '@balkan-audit/store';
import type { RecordVersion } from './record-walk.js';

export interface VersionsOptions {
  readonly schema: ResourceSchema;
  readonly redactor: Redactor;
  /** Whether a commit is in the range asked for; the range is the newest commits up to the first that is not. */
  readonly inRange: (commit: CommitInfo) => boolean;
  /**
   * Versions read ahead of the consumer. zlib inflates on libuv's thread pool, so two cores inflate
   * two files at once; more keeps them busy while the main thread scans.
   * @default 4
   */
  readonly readAhead?: number;
}

/**
 * The record of `key` at each commit that changed the resource's file, newest first: the store's
 * `revisions`, each read with `readRecord` (the file searched as it inflates, never parsed whole),
 * several at a time ahead of the consumer. When the consumer stops, the walk stops; reads already
 * started finish unobserved.
 */
export async function* recordVersions(store: SnapshotStore, resource: string, key: string, options: VersionsOptions): AsyncGenerator<RecordVersion> {
  const revisions = store.revisions(resource)[Symbol.asyncIterator]();
  const queue: Array<Promise<RecordVersion>> = [];
  const readAhead = options.readAhead ?? 4;
  let inRange = true;
  let done = false;
  const read = async (revision: FileRevision, within: boolean): Promise<RecordVersion> => ({
    commit: revision.commit,
    inRange: within,
    table: revision.blobId === null ? null : await store.readRecord(resource, key, { schema: options.schema, redactor: options.redactor, blobId: revision.blobId }),
  });
  const fill = async (): Promise<void> => {
    while (!done && queue.length < readAhead) {
      let next: IteratorResult<FileRevision>;
      try {
        next = await revisions.next();
      } catch (error) {
        // Read ahead, a failure (a shallow clone's edge) is the consumer's only if it gets that far.
        done = true;
        const failed = Promise.reject(error as Error);
        failed.catch(() => undefined);
        queue.push(failed);
        return;
      }
      if (next.done === true) {
        done = true;
        return;
      }
      inRange &&= options.inRange(next.value.commit);
      const version = read(next.value, inRange);
      version.catch(() => undefined);
      queue.push(version);
    }
  };
  try {
    await fill();
    while (queue.length > 0) {
      const version = await queue.shift()!;
      await fill();
      yield version;
    }
  } finally {
    await revisions.return?.();
  }
}
