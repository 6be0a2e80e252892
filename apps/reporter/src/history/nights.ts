import { readChangeTrailers, type Night } from '@balkan-audit/report';
import type { CommitInfo, SnapshotStore } from '@balkan-audit/store';

export interface NightsRead {
  /** Newest first. */
  readonly nights: Night[];
  /** Commits read. */
  readonly read: number;
}

/**
 * The commits that changed the resource's file, newest first, within the range and the limit,
 * each with what its `Balkan-Audit-Changes` trailer says (nothing, for a commit without one). No
 * file is read: the counts were written into each night's commit message.
 */
export async function readNights(store: SnapshotStore, resource: string, options: { inRange: (commit: CommitInfo) => boolean; limit: number }): Promise<NightsRead> {
  const nights: Night[] = [];
  let read = 0;
  // Stops at the limit without reading on: past it may be a shallow clone's edge.
  for await (const { commit } of store.revisions(resource)) {
    read++;
    if (!options.inRange(commit)) break;
    const trailer = readChangeTrailers(commit.message).find((t) => t.resource === resource) ?? null;
    nights.push({
      commit: commit.oid,
      date: commit.date,
      merge: commit.parents.length > 1,
      counts: trailer?.counts ?? null,
      baseline: trailer?.baseline ?? null,
      events: trailer?.events ?? null,
    });
    if (nights.length >= options.limit) break;
  }
  return { nights, read };
}
