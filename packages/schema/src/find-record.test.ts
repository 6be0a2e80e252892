import { describe, expect, it } from 'vitest';
import { parseCanonical, serialiseCanonical } from './canonical.js';
import { findCanonicalRecord, findLine, findRecordInSegments, type RecordSegments } from './find-record.js';
import { KEY_SEPARATOR } from './keys.js';
import { normaliseCsv } from './normalise.js';
import { createRedactor } from './redact.js';
import { quoteParity, recordStarts } from './_record-scan.js';
import { getSchema } from './schemas.js';
import type { ResourceSchema } from './types.js';

const redactor = createRedactor('find-record-test');
const integrations = getSchema('integrations');
const apps = getSchema('apps');

async function canonical(csv: string, schema: ResourceSchema): Promise<Buffer> {
  return serialiseCanonical(await normaliseCsv(csv, schema, { file: 'test.csv', redactor }));
}

// Record 2's description holds a line that looks like record 3, and record 20's a quote-heavy
// JSON-ish text over three lines: a scan that does not track quotes would find a forged record.
const INTEGRATIONS = [
  'ID,Name,Status,Description,Metadata',
  '1,Okta,active,,',
  '2,Slack,active,"line one\n3,Forged,active,,\nline three",',
  '10,"Jira, Cloud",inactive,"say ""hi""",',
  '20,Box,active,"{""a"":\n""b""}\n4,x,active,,","{""k"":""v""}"',
  '100,Zoom,active,,',
  '',
].join('\n');

const APPS = [
  'Tenant ID,Tenant Name,Tenant Status,Tenant Created At,ID,Name',
  '01T,Acme,active,2026-01-01,asana,Asana',
  '01T,Acme,active,2026-01-01,zoom,Zoom',
  '02T,"Beta, Inc",active,2026-01-01,asana,Asana',
  '02T,"Beta, Inc",active,2026-01-01,slack,Slack',
  '10T,Gamma,active,2026-01-01,zoom,Zoom',
  '',
].join('\n');

/** Each file, and the records looked up in it: present, forged, between, before and after all. */
const LOOKUPS = [
  ['integrations', INTEGRATIONS, ['1', '2', '3', '4', '10', '20', '100', '0', '5', '99', '1000', 'abc']],
  ['apps', APPS, ['01T/asana', '01T/zoom', '02T/slack', '10T/zoom', '01T/box', '02T/zzz', '03T/asana', '00T/a', '99T/a']],
] as const;

/** What parsing the whole file gives for `key`: its line, or null. */
async function expected(file: Buffer, schema: ResourceSchema, key: string): Promise<string | null> {
  const table = await parseCanonical(file, schema, { file: 'test.csv', redactor });
  return table.rows.find((row) => row.key === key)?.line ?? null;
}

async function* chunksOf(file: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < file.length; at += size) yield Buffer.from(file.subarray(at, at + size));
}

const header = (schema: ResourceSchema) => (text: string) => parseCanonical(Buffer.from(`${text}\n`), schema, { file: 'test.csv', redactor });

describe('findLine', () => {
  it.each(LOOKUPS)('finds each %s record and no forged one, in chunks of any size', async (resource, csv, ids) => {
    const schema = getSchema(resource);
    const file = await canonical(csv, schema);
    for (const id of ids) {
      const key = id.split('/').join(KEY_SEPARATOR);
      const want = await expected(file, schema, key);
      for (const size of [1, 2, 3, 5, 8, 13, 31, 64, file.length]) {
        const found = await findLine(chunksOf(file, size), key, schema, header(schema));
        expect(found, `${id} in chunks of ${size}`).toEqual({ header: file.toString().split('\n', 1)[0], line: want });
        const table = await findCanonicalRecord(chunksOf(file, size), key, schema, { file: 'test.csv', redactor });
        expect(table?.rows.map((row) => row.line), `${id} in chunks of ${size}`).toEqual(want === null ? [] : [want]);
      }
    }
  });

  it('reads the forged line as part of record 2', async () => {
    const file = await canonical(INTEGRATIONS, integrations);
    expect(await expected(file, integrations, '3')).toBeNull();
    expect(file.includes('\n3,Forged,')).toBe(true);
  });

  it('stops reading at the first record past the key', async () => {
    const file = await canonical(INTEGRATIONS, integrations);
    let read = 0;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of chunksOf(file, 16)) {
        read += chunk.length;
        yield chunk;
      }
    }
    expect((await findLine(counted(), '5', integrations, header(integrations)))?.line).toBeNull();
    expect(read).toBeLessThan(file.indexOf('\n100,') + 32);
  });

  it('leaves a file that is not canonical to a whole parse', async () => {
    const reordered = Buffer.from('Name,ID,Status\nOkta,1,active\n');
    expect(await findLine(chunksOf(reordered, 8), '1', integrations, header(integrations))).toBeNull();
    const unterminated = Buffer.from('ID,Name,Status\n1,Okta,"active\n');
    expect(await findLine(chunksOf(unterminated, 8), '2', integrations, header(integrations))).toBeNull();
    expect(await findCanonicalRecord(chunksOf(reordered, 8), '1', integrations, { file: 'test.csv', redactor })).toBeNull();
  });
});

describe('quoteParity', () => {
  it('counts quotes at any alignment', () => {
    const text = Buffer.from('a"b""c"d"""e"f"g"h"ijklmnop"q'.repeat(7));
    for (let from = 0; from < 12; from++) {
      for (const to of [from, from + 1, from + 9, text.length - 3, text.length]) {
        let n = 0;
        for (let i = from; i < to; i++) if (text[i] === 34) n++;
        expect(quoteParity(text, from, to), `${from}..${to}`).toBe(n % 2);
      }
    }
  });
});


/** Where each record starts (after the header), from a whole parse. */
async function trueStarts(file: Buffer, schema: ResourceSchema): Promise<number[]> {
  const table = await parseCanonical(file, schema, { file: 'test.csv', redactor });
  let at = file.indexOf(10) + 1;
  return table.rows.map((row) => {
    const start = at;
    at += Buffer.byteLength(row.line) + 1;
    return start;
  });
}

describe('recordStarts', () => {
  it.each([
    ['integrations', INTEGRATIONS],
    ['apps', APPS],
  ] as const)('cuts a %s file only where a record starts, about every N bytes', async (resource, csv) => {
    const schema = getSchema(resource);
    const file = await canonical(csv, schema);
    const starts = await trueStarts(file, schema);
    for (const every of [1, 2, 7, 16, 40, 100, file.length - 1, file.length, file.length * 2]) {
      // For each multiple of `every`: the first record start at or after it, past the last one taken.
      const want: number[] = [];
      for (let target = every; target < file.length; target += every) {
        const next = starts.find((s) => s >= Math.max(target, (want.at(-1) ?? 0) + 1));
        if (next === undefined) break;
        want.push(next);
      }
      expect(recordStarts(file, every), `every ${every}`).toEqual(want);
    }
  });

  it('never cuts inside a quoted line break, nor at the end', () => {
    const file = Buffer.from('ID,Name\n1,"a\n2,b"\n3,c\n');
    expect(recordStarts(file, 1)).toEqual([8, 18]);
    expect(recordStarts(Buffer.from('ID,Name\n'), 1)).toEqual([]);
  });
});

/** A canonical file cut at `cuts` (record starts), read as segments; counts what is read whole. */
function segmentsOf(file: Buffer, cuts: readonly number[], probeBytes: number): RecordSegments & { whole: number[] } {
  const bounds = [0, ...cuts, file.length];
  const whole: number[] = [];
  return {
    count: bounds.length - 1,
    whole,
    async read(index: number, probe: boolean): Promise<Buffer> {
      const segment = file.subarray(bounds[index], bounds[index + 1]);
      if (probe) return segment.subarray(0, probeBytes);
      whole.push(index);
      return segment;
    },
  };
}

describe('findRecordInSegments', () => {
  it.each(LOOKUPS)('finds each %s record as a whole parse does, reading one segment past the first', async (resource, csv, ids) => {
    const schema = getSchema(resource);
    const file = await canonical(csv, schema);
    for (const every of [1, 20, 60, file.length]) {
      // Probes short enough to hold no whole record (read whole instead) and long enough to hold one.
      for (const probeBytes of [4, 64]) {
        for (const id of ids) {
          const key = id.split('/').join(KEY_SEPARATOR);
          const segments = segmentsOf(file, recordStarts(file, every), probeBytes);
          const table = await findRecordInSegments(segments, key, schema, { file: 'test.csv', redactor });
          const want = await expected(file, schema, key);
          expect(table?.rows.map((row) => row.line), `${id}, every ${every}, probes of ${probeBytes}`).toEqual(want === null ? [] : [want]);
          // The first segment (the header) and the one that holds the key; whole probes when too short.
          const wholeReads = segments.whole.filter((i) => i !== 0);
          expect(new Set(wholeReads).size, `${id}, every ${every}`).toBeLessThanOrEqual(probeBytes === 4 ? Math.ceil(Math.log2(segments.count)) + 2 : 1);
        }
      }
    }
  });

  it('leaves a file that is not canonical to another search', async () => {
    const reordered = Buffer.from('Name,ID,Status\nOkta,1,active\nBox,2,active\n');
    expect(await findRecordInSegments(segmentsOf(reordered, [15, 29], 64), '2', integrations, { file: 'test.csv', redactor })).toBeNull();
    expect(await findRecordInSegments(segmentsOf(Buffer.from('ID,Name'), [], 64), '2', integrations, { file: 'test.csv', redactor })).toBeNull();
  });
});
