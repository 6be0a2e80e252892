/**
 * Canonical CSV records (RFC 4180): a field is quoted only when it must be (a comma, a quote, CR or
 * LF, or a leading or trailing space, which many readers would trim), quotes are doubled.
 */
export function encodeField(text: string): string {
  if (text === '') return text;
  if (needsQuotes(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

function needsQuotes(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first === 32 || first === 9 || last === 32 || last === 9) return true;
  return MUST_QUOTE.test(text);
}

// A regular expression scans long cells (JSON) faster than a loop over char codes.
const MUST_QUOTE = /[,"\n\r]/;

/** The canonical CSV record (no line end) for canonical cell texts. */
export function encodeRecord(cells: readonly string[]): string {
  const out = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) out[i] = encodeField(cells[i]!);
  return out.join(',');
}

/**
 * The fields of one canonical CSV record (RFC 4180; the record may contain line breaks inside
 * quoted fields). The inverse of `encodeRecord`.
 */
export function splitRecord(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote === -1) {
          value += line.slice(from);
          i = line.length;
          break;
        }
        value += line.slice(from, quote);
        if (line.charCodeAt(quote + 1) === 34) {
          value += '"';
          from = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      const comma = line.indexOf(',', i);
      // Anything between the closing quote and the comma is not canonical; keep it rather than drop it.
      value += comma === -1 ? line.slice(i) : line.slice(i, comma);
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma === -1) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}
