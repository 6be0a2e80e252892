/** How many fields `splitRecord(line)` returns, without building them. */
export function fieldCount(line: string): number {
  let n = 1;
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let quote = line.indexOf('"', i + 1);
      while (quote !== -1 && line.charCodeAt(quote + 1) === 34) quote = line.indexOf('"', quote + 2);
      if (quote === -1) return n;
      i = quote + 1;
    }
    const comma = line.indexOf(',', i);
    if (comma === -1) return n;
    n++;
    i = comma + 1;
  }
}
