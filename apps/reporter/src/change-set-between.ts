import { randomBytes } from 'node:crypto';
import {
  baselineChange, buildChangeSet, DEFAULT_EVENT_RULES, diffTables, failedChange, rekeyedEvent, tamperedEvent, unchangedChange,
  type ChangeSet, type EventRuleTable, type ResourceChange,
} from '@balkan-audit/diff';
import { createRedactor, DOCUMENTED_RESOURCES, type Redactor } from '@balkan-audit/schema';
import type { CommitInfo, Manifest, SnapshotStore, TamperedFile } from '@balkan-audit/store';
import { CliError } from './_errors.js';
import { configSettings, type ResourceSettings } from './config/settings.js';

export interface BetweenOptions {
  /** Only these resources. @default every resource of `to`'s manifest */
  readonly resources?: readonly string[];
  /** @default DEFAULT_EVENT_RULES */
  readonly rules?: EventRuleTable;
  /** Each resource's schema and compared columns (the config file's). @default the built-in schema, every column */
  readonly resourceSettings?: (resource: string) => ResourceSettings;
  readonly now?: Date;
}

/**
 * The change set between two commits of the snapshot repository, rebuilt from what they hold,
 * read through the store: the same change set the night that went from one to the other reported
 * (baselines, failures, tampered files, a new redaction key), and for a span of nights what they
 * changed together.
 */
export async function changeSetBetween(store: SnapshotStore, fromRef: string, toRef: string, options: BetweenOptions = {}): Promise<ChangeSet> {
  const rules = options.rules ?? DEFAULT_EVENT_RULES;
  const [from, to] = await Promise.all([store.resolve(fromRef), store.resolve(toRef)]);
  const [before, after] = await Promise.all([store.readManifest(from.oid), store.readManifest(to.oid)]);
  if (after === null) {
    throw new CliError('DIFF_NO_SNAPSHOT', `${toRef} (${to.oid.slice(0, 12)}) holds no ${store.snapshotDir}/manifest.json: it is not a snapshot commit`, {
      hint: 'name commits the nightly snapshot made (see git log -- snapshots)',
    });
  }
  // Committed files hold fingerprints already and keep them: any key reads them the same.
  const redactor = createRedactor(randomBytes(32));
  const tampered = new Map<string, TamperedFile>(before === null ? [] : (await store.checkSnapshot(before, from.oid)).tampered.map((t) => [t.resource, t]));
  const sameKey = before?.redactionKeyId === undefined || after.redactionKeyId === undefined || before.redactionKeyId === after.redactionKeyId;
  const changes: ResourceChange[] = [];
  const settingsOf = options.resourceSettings ?? configSettings({}).resource;
  for (const resource of resourcesOf(after, options.resources)) {
    const settings = settingsOf(resource);
    const change = await resourceBetween(store, resource, { from, to, before, after, redactor, rules, settings, comparableFingerprints: sameKey });
    const edited = tampered.get(resource);
    const events = edited === undefined ? [] : [tamperedEvent(rules, { resource, file: edited.path, commit: edited.commit && { oid: edited.commit.oid, subject: edited.commit.subject } })];
    changes.push(events.length === 0 ? change : { ...change, events: [...events, ...change.events] });
  }
  return buildChangeSet({
    resources: changes,
    events: sameKey ? [] : [rekeyedEvent(rules, { from: before!.redactionKeyId!, to: after.redactionKeyId! })],
    tenant: after.tenant,
    from: before === null ? null : { commit: from.oid, date: from.date },
    to: { commit: to.oid, date: to.date },
    generatedAt: options.now ?? new Date(),
  });
}

interface Sides {
  readonly from: CommitInfo;
  readonly to: CommitInfo;
  readonly before: Manifest | null;
  readonly after: Manifest;
  readonly redactor: Redactor;
  readonly rules: EventRuleTable;
  readonly settings: ResourceSettings;
  readonly comparableFingerprints: boolean;
}

async function resourceBetween(store: SnapshotStore, resource: string, sides: Sides): Promise<ResourceChange> {
  const entry = sides.after.resources[resource]!;
  const [fromBlob, toBlob] = await Promise.all([store.blobId(resource, sides.from.oid), store.blobId(resource, sides.to.oid)]);
  // What the night reported: its export failed and the snapshot before it stands.
  if (entry.status === 'failed' && fromBlob === toBlob) return failedChange(resource, entry.error ?? { code: 'ERROR', message: '' }, entry.rows);
  if (fromBlob !== null && fromBlob === toBlob) return unchangedChange(resource, entry.rows);
  const { schema } = sides.settings;
  const read = (ref: string) => store.readTable(resource, { schema, redactor: sides.redactor, ref });
  const [before, after] = await Promise.all([fromBlob === null ? null : read(sides.from.oid), read(sides.to.oid)]);
  const options = { rules: sides.rules, comparableFingerprints: sides.comparableFingerprints, ...sides.settings.columns };
  if (after === null) throw new CliError('DIFF_NO_SNAPSHOT', `${store.snapshotDir}/${resource}.csv is missing at ${sides.to.oid.slice(0, 12)} although its manifest lists it`);
  return before === null ? baselineChange(after.table, options) : diffTables(before.table, after.table, options);
}

/** The resources to compare, in the documented order, then the others by name. */
function resourcesOf(manifest: Manifest, only: readonly string[] | undefined): string[] {
  const listed = Object.keys(manifest.resources);
  const missing = (only ?? []).filter((r) => !listed.includes(r));
  if (missing.length > 0) {
    throw new CliError('DIFF_UNKNOWN_RESOURCE', `${missing.join(', ')}: not in the snapshot's manifest (it has ${listed.join(', ') || 'none'})`);
  }
  const wanted = only === undefined ? listed : listed.filter((r) => only.includes(r));
  const rank = (r: string) => {
    const i = DOCUMENTED_RESOURCES.indexOf(r);
    return i < 0 ? DOCUMENTED_RESOURCES.length : i;
  };
  return wanted.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
