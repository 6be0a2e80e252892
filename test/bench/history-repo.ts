/**
 * Builds the history benchmark's audit repository quickly: a year of nightly snapshot commits of
 * one synthetic integrations resource, written with the store API directly (no export, no CLI run
 * per night). Each night changes ~1% of the rows (Status flips, new owners, volatile Last Run
 * updates, removals, additions) and one scripted record lives its life: added, changed twice,
 * removed, re-added, changed. Commit messages are the real ones (`renderCommitMessage` of the
 * night's change set), trailers included.
 */
import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { baselineChange, buildChangeSet, diffTables } from '@balkan-audit/diff';
import { renderCommitMessage } from '@balkan-audit/report';
import { generateSyntheticExport } from '@balkan-audit/sandbox';
import {
  compareKeys, createRedactor, getSchema, normaliseCsv, splitRecord, type CanonicalRow, type CanonicalTable,
} from '@balkan-audit/schema';
import { openSnapshotStore, type Manifest } from '@balkan-audit/store';
import { csvRecord } from '../helpers/csv.js';

export interface HistoryRepoSpec {
  readonly dir: string;
  readonly rows: number;
  readonly nights: number;
  readonly seed: number;
}

/** The scripted record's life: on which night each of its six entries happens, oldest first. */
export interface ScriptedLife {
  readonly id: string;
  readonly nights: readonly { readonly night: number; readonly event: 'added' | 'changed' | 'removed' | 'readded'; readonly fields: readonly string[] }[];
}

export interface HistoryRepo {
  readonly resource: 'integrations';
  readonly scripted: ScriptedLife;
  readonly commits: number;
  readonly fileBytes: number;
}

const RESOURCE = 'integrations';
const schema = getSchema(RESOURCE);

export async function buildHistoryRepo(spec: HistoryRepoSpec): Promise<HistoryRepo> {
  const redactor = createRedactor('bench-history-key');
  const raw = await buffer(generateSyntheticExport({ rows: spec.rows, seed: spec.seed, variant: 'before' }));
  const base = await normaliseCsv(raw, schema, { file: `${RESOURCE}.csv`, redactor });
  const column = (name: string): number => base.columns.findIndex((c) => c.name === name);
  const at = { name: column('Name'), status: column('Status'), owner: column('Primary Owner'), lastRun: column('Last Run'), provisioning: column('Provisioning Options') };
  const scriptedId = String(Math.floor(spec.rows / 2));
  // The six events spread over the year, the first a month in (not in the baseline).
  const when = (i: number): number => Math.floor(((i + 0.5) * spec.nights) / 6);
  const life: ScriptedLife = {
    id: scriptedId,
    nights: [
      { night: when(0), event: 'added', fields: [] },
      { night: when(1), event: 'changed', fields: ['Status', 'Primary Owner'] },
      { night: when(2), event: 'changed', fields: ['Provisioning Options'] },
      { night: when(3), event: 'removed', fields: [] },
      { night: when(4), event: 'readded', fields: [] },
      { night: when(5), event: 'changed', fields: ['Name'] },
    ],
  };
  const scriptedLine = base.rows.find((r) => r.key === scriptedId)!.line;
  let rows: CanonicalRow[] = base.rows.filter((r) => r.key !== scriptedId);
  const free: string[] = [];
  let seed = spec.seed;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const edit = (line: string, changes: Readonly<Record<number, string>>): string => {
    const cells = splitRecord(line);
    for (const [index, value] of Object.entries(changes)) cells[Number(index)] = value;
    return csvRecord(cells);
  };
  const scripted = (night: number): string | null => {
    const event = life.nights.filter((n) => n.night <= night).at(-1);
    if (event === undefined || event.event === 'removed') return null;
    let line = scriptedLine;
    if (night >= life.nights[1]!.night) line = edit(line, { [at.status]: splitRecord(scriptedLine)[at.status] === 'active' ? 'inactive' : 'active', [at.owner]: 'mallory@balkan.id' });
    if (night >= life.nights[2]!.night) line = edit(line, { [at.provisioning]: '{"scim":true,"sync":"hourly","upload":true}' });
    if (night >= life.nights[5]!.night) line = edit(line, { [at.name]: 'Okta (production)' });
    return line;
  };

  const store = await openSnapshotStore({ dir: spec.dir });
  const author = { name: 'Nightly Audit', email: 'audit@example.com' };
  let previous: CanonicalTable | null = null;
  let fileBytes = 0;
  for (let night = 0; night < spec.nights; night++) {
    if (night > 0) rows = churn(rows, spec.rows / 100);
    const line = scripted(night);
    const table: CanonicalTable = { ...base, rows: line === null ? rows : insertSorted(rows, { key: scriptedId, line }) };
    const file = Buffer.from(`${csvRecord(table.columns.map((c) => c.name))}\n${table.rows.map((r) => `${r.line}\n`).join('')}`, 'utf8');
    fileBytes = file.length;
    const runAt = new Date(Date.UTC(2026, 0, 1, 2, 0, 0) + night * 86_400_000);
    const changeSet = buildChangeSet({
      resources: [previous === null ? baselineChange(table) : diffTables(previous, table)],
      tenant: 'acme',
      from: null,
      to: { commit: null, date: runAt.toISOString() },
      generatedAt: runAt,
    });
    await store.commitSnapshot({
      files: new Map([[RESOURCE, file]]),
      manifest: manifestFor(file, table.rows.length, table.columns.map((c) => c.name), runAt),
      message: renderCommitMessage(changeSet, { tenant: 'acme', runAt, version: 'bench' }),
      author,
      now: runAt,
    });
    previous = table;
  }
  return { resource: RESOURCE, scripted: life, commits: spec.nights, fileBytes };

  /**
   * ~`count` rows touched: a third changed, a third removed, a third added. Added rows take the ids
   * of removed ones, so the file keeps its size and the scripted record stays in its middle.
   */
  function churn(current: CanonicalRow[], count: number): CanonicalRow[] {
    const third = Math.max(1, Math.round(count / 3));
    let out = current.slice();
    for (let i = 0; i < third; i++) {
      const index = random(out.length);
      const row = out[index]!;
      const kind = random(4);
      const changes = kind === 0 ? { [at.status]: splitRecord(row.line)[at.status] === 'active' ? 'inactive' : 'active' }
        : kind === 1 ? { [at.owner]: `owner${random(1000)}@balkan.id` }
          : { [at.lastRun]: `2026-${String(1 + random(12)).padStart(2, '0')}-${String(1 + random(28)).padStart(2, '0')}T02:00:00Z` };
      out[index] = { key: row.key, line: edit(row.line, changes) };
    }
    const removed = new Set<number>();
    while (removed.size < third) removed.add(random(out.length));
    for (const index of removed) free.push(out[index]!.key);
    out = out.filter((_, index) => !removed.has(index));
    for (let i = 0; i < third; i++) {
      const id = free.splice(random(free.length), 1)[0]!;
      const template = out[random(out.length)]!;
      out = insertSorted(out, { key: id, line: edit(template.line, { 0: id, [at.name]: `Added ${id}` }) });
    }
    return out;
  }
}

function insertSorted(rows: readonly CanonicalRow[], row: CanonicalRow): CanonicalRow[] {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(rows[mid]!.key, row.key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return [...rows.slice(0, lo), row, ...rows.slice(lo)];
}

function manifestFor(file: Buffer, rows: number, columns: string[], at: Date): Manifest {
  const sha = createHash('sha256').update(file).digest('hex');
  return {
    schemaVersion: 1,
    tenant: 'acme',
    generatedAt: at.toISOString(),
    resources: { [RESOURCE]: { status: 'ok', rows, columns, rawSha256: null, canonicalSha256: sha, fetchedAt: at.toISOString() } },
  };
}
