import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { scanRawRecords } from './_raw-records.js';

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

describe('scanRawRecords', () => {
  it.each([
    ['LF', 'a,b\n1,2\n3,4\n'],
    ['CRLF', 'a,b\r\n1,2\r\n3,4'],
    ['BOM and leading blank lines', '\ufeff\n\na,b\n1,2\n'],
    ['quoted LF, CR and CRLF', 'a,b\n"x\ny",1\n"p\rq",2\n"m\r\nn",3\n4,5\n'],
    ['CRLF mode, quoted lone LF and blank lines', 'a,b\r\n"x\ny",1\r\n\r\n\r\n2,"z"\r\n"",""\r\n'],
    ['escaped quotes', 'a,b\n"say ""hi""",1\n"""",2\n'],
  ])('numbers records like csv-parse: %s', (_, input) => {
    const scan = scanRawRecords(Buffer.from(input))!;
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
    expect(scanRawRecords(Buffer.from(input))).toBeNull();
  });
});
