import { describe, expect, it } from 'vitest';
import { readByStream, readRecords } from './_read.js';
import { chunked, codeOf } from './_test-support.js';
import { integrationsExport, writeExport } from './_test-exports.js';

type Seen = [string[], number, number][];
const collect = async (read: typeof readRecords, input: Buffer | AsyncIterable<Buffer>): Promise<Seen> => {
  const seen: Seen = [];
  await read(input, 'x.csv', (record, lines, empty) => seen.push([record, lines, empty]));
  return seen;
};

describe('readRecords (csv-parse core driven directly) reads as the documented stream does', () => {
  const data = integrationsExport(40, 9);
  it.each([
    ['LF', writeExport(data)],
    ['CRLF, BOM, blank lines', writeExport(data, { lineEnd: '\r\n', bom: true, blankAfter: [0, 1, 5] })],
    ['quoted line ends', Buffer.from('a,b\n"x\r\ny",1\n\n"p\rq","m\nn"\n3,4')],
  ])('%s', async (_, input) => {
    const expected = await collect(readByStream, input);
    expect(await collect(readRecords, input)).toEqual(expected);
    expect(await collect(readRecords, chunked(input, 7))).toEqual(expected);
  });

  it.each([
    ['an unclosed quote', 'a,b\n"x,1\n', 'SCHEMA_CSV_INVALID'],
    ['a ragged record', 'a,b\n1,2\n3\n', 'SCHEMA_CSV_INVALID'],
    ['invalid UTF-8', Buffer.concat([Buffer.from('a,b\n1,'), Buffer.from([0xff]), Buffer.from('\n')]), 'SCHEMA_NOT_UTF8'],
  ])('fails alike on %s', async (_, text, code) => {
    const input = Buffer.from(text);
    expect(await codeOf(collect(readRecords, input))).toBe(code);
    expect(await codeOf(collect(readByStream, input))).toBe(code);
  });
});
