import { describe, expect, it } from 'vitest';
import { RecordCounter } from './_records.js';

function count(text: string, chunkSize = text.length || 1): number {
  const counter = new RecordCounter();
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += chunkSize) counter.push(bytes.subarray(i, i + chunkSize));
  return counter.dataRecords;
}

describe('RecordCounter', () => {
  it.each([
    ['', 0],
    ['ID,Name\n', 0],
    ['ID,Name', 0],
    ['ID,Name\n1,a\n', 1],
    ['ID,Name\n1,a', 1],
    ['ID,Name\r\n1,a\r\n2,b\r\n', 2],
    ['ID,Name\n1,"multi\nline"\n2,b\n', 2],
    ['ID,Name\n1,"quote "" and\r\nbreak"\n', 1],
    ['ID,Name\n1,a\n\n\n', 1],
    ['ID,Name\n\n1,a\n', 1],
    ['ID,Name\n1,""\n', 1],
    ['\uFEFFID,Name\n1,"Zoë, ünïcode"\n', 1],
    ['ID,JSON\n1,"{""a"":""x\ny""}"\n2,"[]"\n', 2],
  ])('%j → %i data records', (text, expected) => {
    expect(count(text)).toBe(expected);
  });

  it.each([1, 2, 3, 7])('gives the same count when the bytes arrive %i at a time', (chunkSize) => {
    const text = 'ID,Name\r\n1,"a\r\nb"\r\n2,"c ""d"""\r\n3,e';
    expect(count(text, chunkSize)).toBe(3);
  });
});
