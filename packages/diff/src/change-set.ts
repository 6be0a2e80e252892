import type { AuditEvent, ChangeSet, ChangeSetEnd, ResourceChange, Severity } from './types.js';

export interface ChangeSetInput {
  readonly resources: readonly ResourceChange[];
  /** Events of the run as a whole (`rekeyedEvent`). @default [] */
  readonly events?: readonly AuditEvent[];
  /** @default null */
  readonly tenant?: string | null;
  /** The snapshot compared against, or null on a first run. */
  readonly from: ChangeSetEnd | null;
  readonly to: ChangeSetEnd;
  /** @default new Date() */
  readonly generatedAt?: Date;
}

/**
 * Assembles the JSON change set (`schemaVersion: 1`): resources in the order given, and a summary
 * that sums their counts and counts their events (and the run's) by severity.
 */
export function buildChangeSet(input: ChangeSetInput): ChangeSet {
  const events: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  let added = 0;
  let removed = 0;
  let changed = 0;
  const runEvents = [...(input.events ?? [])];
  for (const event of runEvents) events[event.severity]++;
  for (const resource of input.resources) {
    added += resource.counts.added;
    removed += resource.counts.removed;
    changed += resource.counts.changed;
    for (const event of resource.events) events[event.severity]++;
  }
  return {
    schemaVersion: 1,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    tenant: input.tenant ?? null,
    from: input.from,
    to: input.to,
    events: runEvents,
    summary: { added, removed, changed, events },
    resources: [...input.resources],
  };
}

/**
 * Whether a resource's records or columns changed: what `--detailed-exitcode` asks, and whether a
 * night has anything to record. Events alone (tamper evidence, a new key) are not counted.
 */
export function hasChanges(change: ResourceChange): boolean {
  const { counts, schemaChanges } = change;
  return counts.added + counts.removed + counts.changed + schemaChanges.addedColumns.length + schemaChanges.removedColumns.length > 0;
}
