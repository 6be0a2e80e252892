import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { indexRawRecords, recordsCsv } from './_raw-index.js';

/** Start lines as normaliseCsv derives them from csv-parse's info. */
function csvParseLines(input: string): number[] {
  const out = parse(Buffer.from(input), { bom: true, relax_column_count: false, skip_empty_lines: true, info: true }) as unknown as { info: { lines: number; empty_lines: number } }[];
  const lines: number[] = [];
  let end = 0;
  let empty = 0;
  for (const { info } of out) {
    lines.push(end + 1 + (info.empty_lines - empty));
    end = info.lines;
    empty = info.empty_lines;
  }
  return lines.slice(1);
}

describe('indexRawRecords', () => {
  it.each([
    ['LF', 'a,b\n1,2\n3,4\n'],
    ['CRLF', 'a,b\r\n1,2\r\n3,4'],
    ['BOM and leading blank lines', '\ufeff\n\na,b\n1,2\n'],
    ['quoted LF, CR and CRLF', 'a,b\n"x\ny",1\n"p\rq",2\n"m\r\nn",3\n4,5\n'],
    ['CRLF mode, quoted lone LF and blank lines', 'a,b\r\n"x\ny",1\r\n\r\n\r\n2,"z"\r\n"",""\r\n'],
    ['escaped quotes', 'a,b\n"say ""hi""",1\n"""",2\n'],
  ])('numbers records like csv-parse: %s', (_, input) => {
    const scan = indexRawRecords(Buffer.from(input))!;
    expect(scan).not.toBeNull();
    expect(Array.from(scan.lines.subarray(0, scan.count))).toEqual(csvParseLines(input));
  });

  it.each([
    ['a bare quote in an unquoted field', 'a,b\n1,x"y\n'],
    ['text after a closing quote', 'a,b\n"x"y,1\n'],
    ['an unclosed quote', 'a,b\n"x,1\n'],
    ['a ragged record', 'a,b\n1,2,3\n'],
    ['a lone CR line end', 'a,b\r1,2\r'],
    ['a CR inside an unquoted field', 'a,b\n1,x\ry\n'],
    ['an LF line inside a CRLF file', 'a,b\r\n1,2\n3,4\r\n'],
    ['a one-column file', 'a\n1\n'],
    ['nothing but a BOM', '\ufeff'],
  ])('gives up on %s', (_, input) => {
    expect(indexRawRecords(Buffer.from(input))).toBeNull();
  });
});

describe('indexRawRecords with key columns', () => {
  const keyText = (input: string, keys: readonly number[]): string[] => {
    const index = indexRawRecords(Buffer.from(input), () => keys)!;
    return Array.from({ length: index.count }, (_, r) => Array.from({ length: index.keyParts }, (_, k) => {
      const at = 2 * (r * index.keyParts + k);
      return index.bytes.toString('utf8', index.keys![at], index.keys![at + 1]);
    }).join('/'));
  };

  it('finds each record\'s key cells, quoted or not, in key order', () => {
    expect(keyText('a,b,c\n1,x,y\n"2\n3",z,"w"\n', [0])).toEqual(['1', '2\n3']);
    expect(keyText('a,b,c\r\n1,x,y\r\n"2",z,"w"\r\n', [2, 0])).toEqual(['y/1', 'w/2']);
  });

  it('passes the header\'s cells to name the key columns', () => {
    let seen: readonly string[] = [];
    indexRawRecords(Buffer.from('\ufeff"I,D",Name\n1,a\n'), (header) => { seen = header; return [0]; });
    expect(seen).toEqual(['I,D', 'Name']);
  });

  it.each([
    ['an empty key', 'a,b\n,x\n'],
    ['an empty quoted key', 'a,b\n"",x\n'],
    ['a key with an escaped quote', 'a,b\n"1""",x\n'],
    ['a key with a CR', 'a,b\n"1\r2",x\n'],
  ])('gives up on %s', (_, input) => {
    expect(indexRawRecords(Buffer.from(input), () => [0])).toBeNull();
    expect(indexRawRecords(Buffer.from(input))).not.toBeNull();
  });

  it.each([[null], [[]], [[2]], [[0, 0]]])('gives up when the key columns are %j', (keys) => {
    expect(indexRawRecords(Buffer.from('a,b\n1,2\n'), () => keys)).toBeNull();
  });
});

describe('recordsCsv', () => {
  it('is the header and the chosen records, with the file\'s line end', () => {
    const index = indexRawRecords(Buffer.from('\ufeffa,b\r\n1,"x\r\ny"\r\n\r\n2,z\r\n3,w'))!;
    expect(recordsCsv(index, [2, 0]).toString()).toBe('a,b\r\n3,w\r\n1,"x\r\ny"\r\n');
    expect(recordsCsv(index, []).toString()).toBe('a,b\r\n');
  });
});
