import { encodeRecord } from './canonical-text.js';

/** Raw export text from cells: a header and records, in the given line-end style. */
export interface RawExport {
  readonly header: readonly string[];
  readonly records: readonly (readonly string[])[];
}

export interface WriteOptions {
  readonly lineEnd?: '\n' | '\r\n';
  readonly bom?: boolean;
  /** Record indexes followed by an empty line. */
  readonly blankAfter?: readonly number[];
  /** Quote every cell (as some exporters do), not only where needed. */
  readonly quoteAll?: boolean;
}

export function writeExport(data: RawExport, options: WriteOptions = {}): Buffer {
  const end = options.lineEnd ?? '\n';
  const line = (cells: readonly string[]): string => (options.quoteAll ? cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',') : encodeRecord(cells));
  const blank = new Set(options.blankAfter ?? []);
  let text = (options.bom ? '\ufeff' : '') + line(data.header) + end;
  data.records.forEach((cells, i) => {
    text += line(cells) + end;
    if (blank.has(i)) text += end;
  });
  return Buffer.from(text, 'utf8');
}

export const INTEGRATIONS_HEADER = ['ID*', 'Name*', 'Description', 'Last Run', 'Status*', 'Primary Owner', 'Message', 'Metadata', 'Reviewer Precedence', 'Reviewer Count'];

/** A small deterministic PRNG (mulberry32), so fixtures are the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One integrations record with the shapes that matter to the normaliser: JSON with a secret and
 * unsorted keys, a timestamp with an offset, a multi-line description with quotes and commas, an
 * email to lower-case, a list to re-space, a count that may not be a number (a warning).
 */
export function integrationRecord(id: number, variant: number): string[] {
  const v = variant % 7;
  return [
    String(id),
    `Integration ${id}${v === 3 ? ', "quoted"' : ''}`,
    v === 1 ? `line one\nline two of ${id}` : v === 2 ? `crlf\r\ninside ${id}` : '',
    v === 4 ? '' : `2024-0${1 + (v % 9)}-1${v}T10:00:00+02:00`,
    v % 2 === 0 ? 'active' : 'inactive',
    `Owner${id}@Example.COM`,
    v === 5 ? 'ok' : '',
    JSON.stringify({ zone: `eu-${v}`, a: id, credentials: [{ key: 'client_secret', type: 'secret', value: `s3cr3t-${id}-${variant}` }] }),
    'manager,primaryowner , riskmanager',
    v === 6 ? 'many' : String(v),
  ];
}

/** `count` integrations records with IDs 1…count, in a seeded shuffled order. */
export function integrationsExport(count: number, seed: number): RawExport {
  const next = random(seed);
  const records = Array.from({ length: count }, (_, i) => integrationRecord(i + 1, Math.floor(next() * 1000)));
  for (let i = records.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [records[i], records[j]] = [records[j]!, records[i]!];
  }
  return { header: INTEGRATIONS_HEADER, records };
}

/** The next night: some records changed, some removed, some added, the order shuffled again. */
export function nextNight(before: RawExport, seed: number, rates = { change: 0.05, remove: 0.02, add: 0.03 }): RawExport {
  const next = random(seed);
  const records: string[][] = [];
  let maxId = 0;
  for (const cells of before.records) {
    maxId = Math.max(maxId, Number(cells[0]));
    const roll = next();
    if (roll < rates.remove) continue;
    records.push(roll < rates.remove + rates.change ? integrationRecord(Number(cells[0]), Math.floor(next() * 1000) + 1000) : [...cells]);
  }
  const added = Math.ceil(before.records.length * rates.add);
  for (let i = 1; i <= added; i++) records.push(integrationRecord(maxId + i, Math.floor(next() * 1000)));
  for (let i = records.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [records[i], records[j]] = [records[j]!, records[i]!];
  }
  return { header: before.header, records };
}
