import { describe, expect, it } from 'vitest';
import { createRedactor, getSchema, normaliseCsv, type CanonicalTable } from '@balkan-audit/schema';
import type { CommitInfo } from '@balkan-audit/store';
import { walkRecordHistory, type RecordVersion } from './record-walk.js';

const schema = getSchema('integrations');
const COLUMNS = ['ID', 'Name', 'Status', 'Metadata'];

/** One CSV line: every cell quoted, its quotes doubled. */
const encodeRecord = (cells: readonly string[]): string => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',');

/** Integrations holding record 4 with these cells (or not: null), as one commit left them. */
async function file(cells: Record<string, string> | null, options: { columns?: string[]; key?: string } = {}): Promise<CanonicalTable> {
  const columns = options.columns ?? COLUMNS;
  const rows = cells === null ? [] : [encodeRecord(columns.map((c) => ({ ID: '4', ...cells })[c] ?? ''))];
  const table = await normaliseCsv(`${[encodeRecord(columns), ...rows].join('\n')}\n`, schema, { file: 'integrations.csv', redactor: createRedactor(options.key ?? 'walk-test') });
  return table;
}

const commit = (n: number): CommitInfo => ({
  oid: `${String(n).padStart(2, '0')}${'c'.repeat(38)}`,
  date: `2026-01-${String(n).padStart(2, '0')}T02:00:00.000Z`,
  message: `night ${n}\n`, subject: `night ${n}`, author: { name: 'a', email: 'a@x' }, parents: [],
});

/** Versions newest first from (night, table) pairs given oldest first; counts how many were pulled. */
function versionsOf(nights: Array<[number, CanonicalTable | null]>, inRange: (night: number) => boolean = () => true) {
  const pulled = { count: 0 };
  async function* generate(): AsyncGenerator<RecordVersion> {
    for (const [n, table] of [...nights].reverse()) {
      pulled.count++;
      yield { commit: commit(n), table, inRange: inRange(n) };
    }
  }
  return { versions: generate(), pulled };
}

const okta = { Name: 'Okta', Status: 'active', Metadata: '{"tier":"silver"}' };

async function scriptedLife(): Promise<Array<[number, CanonicalTable | null]>> {
  return [
    [1, await file(null)],
    [2, await file(okta)],
    [3, await file(okta)],
    [4, await file({ ...okta, Status: 'inactive' })],
    [5, await file({ ...okta, Status: 'inactive', Metadata: '{"tier":"gold"}' })],
    [6, await file(null)],
    [7, null],
    [8, await file({ ...okta, Name: 'Okta 2' })],
    [9, await file({ ...okta, Name: 'Okta 3' })],
  ];
}

const summary = (entries: Awaited<ReturnType<typeof walkRecordHistory>>['entries']) => entries.map((e) => `${e.date.slice(8, 10)} ${e.event} ${e.changes.map((c) => `${c.field}${c.path.length ? `.${c.path.join('.')}` : ''}:${c.op}`).join(',')}`);

describe('walkRecordHistory', () => {
  it('gives every change to the record, newest first: added, changed, removed, readded', async () => {
    const { versions } = versionsOf(await scriptedLife());
    const walk = await walkRecordHistory(versions);
    expect(summary(walk.entries)).toEqual([
      '09 changed Name:changed',
      '08 readded ID:added,Name:added,Status:added,Metadata:added',
      '06 removed ID:removed,Name:removed,Status:removed,Metadata:removed',
      '05 changed Metadata.tier:changed',
      '04 changed Status:changed',
      '02 added ID:added,Name:added,Status:added,Metadata:added',
    ]);
    expect(walk.entries[4]!.changes).toEqual([{ field: 'Status', path: [], op: 'changed', before: 'active', after: 'inactive', volatile: false }]);
    expect(walk).toMatchObject({ seen: true, read: 9 });
    expect(walk.latest?.rows[0]?.line).toBe('4,Okta 3,active,"{""tier"":""silver""}"');
  });

  it('counts a record in the first snapshot as added', async () => {
    const { versions } = versionsOf([[1, await file(okta)], [2, await file({ ...okta, Status: 'inactive' })]]);
    expect(summary((await walkRecordHistory(versions)).entries)).toEqual(['02 changed Status:changed', '01 added ID:added,Name:added,Status:added,Metadata:added']);
  });

  it('stops reading at the limit, and reads on only to tell a re-addition from an addition', async () => {
    const nights = await scriptedLife();
    const two = versionsOf(nights);
    expect(summary((await walkRecordHistory(two.versions, { limit: 1 })).entries)).toEqual(['09 changed Name:changed']);
    expect(two.pulled.count).toBe(2);
    const readd = versionsOf(nights.slice(0, 8));
    expect(summary((await walkRecordHistory(readd.versions, { limit: 1 })).entries)).toEqual(['08 readded ID:added,Name:added,Status:added,Metadata:added']);
    expect(readd.pulled.count).toBe(4);
  });

  it('keeps to --since, reading past it only as far as it must', async () => {
    const nights = await scriptedLife();
    const since = versionsOf(nights, (n) => n >= 7);
    expect(summary((await walkRecordHistory(since.versions)).entries)).toEqual(['09 changed Name:changed', '08 readded ID:added,Name:added,Status:added,Metadata:added']);
    expect(since.pulled.count).toBe(5);
    const quiet = versionsOf(nights, (n) => n >= 10);
    const walk = await walkRecordHistory(quiet.versions);
    expect(walk.entries).toEqual([]);
    expect(walk.seen).toBe(true);
    expect(quiet.pulled.count).toBe(1);
  });

  it('finds nothing, after the whole history, for a record that never existed', async () => {
    const { versions, pulled } = versionsOf([[1, await file(null)], [2, await file(null)]]);
    expect(await walkRecordHistory(versions, { limit: 1 })).toEqual({ entries: [], seen: false, latest: null, read: 2 });
    expect(pulled.count).toBe(2);
  });

  it('makes no entry for a column added to the export while the record kept its values', async () => {
    const region = [...COLUMNS, 'Region'];
    const empty = versionsOf([[1, await file(okta)], [2, await file({ ...okta, Region: '' }, { columns: region })], [3, await file({ ...okta, Region: 'eu' }, { columns: region })]]);
    expect(summary((await walkRecordHistory(empty.versions)).entries)).toEqual(['03 changed Region:changed', '01 added ID:added,Name:added,Status:added,Metadata:added']);
    const valued = versionsOf([[1, await file(okta)], [2, await file({ ...okta, Region: 'eu' }, { columns: region })]]);
    expect(summary((await walkRecordHistory(valued.versions)).entries)).toEqual(['02 changed Region:added', '01 added ID:added,Name:added,Status:added,Metadata:added']);
  });

  it('says a fingerprint is not comparable on the night the redaction key changed', async () => {
    const secret = { ...okta, Metadata: '{"password":"hunter2"}' };
    const nights: Array<[number, CanonicalTable | null]> = [[1, await file(secret, { key: 'one' })], [2, await file(secret, { key: 'two' })]];
    const asked: string[] = [];
    const sameRedactionKey = async (c: CommitInfo) => { asked.push(c.subject); return false; };
    const walk = await walkRecordHistory(versionsOf(nights).versions, { sameRedactionKey });
    expect(walk.entries[0]!.changes).toEqual([expect.objectContaining({ field: 'Metadata', path: ['password'], comparable: false })]);
    expect(asked).toEqual(['night 2']);
  });
});
