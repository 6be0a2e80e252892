/** A CSV file as the sandbox serves it: cells as text plus the file's byte-level quirks. */
export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  readonly lineEnd: '\r\n' | '\n';
  readonly bom: boolean;
}

/** RFC 4180: quote a cell only when it holds a comma, a quote or a line break. */
export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}

/** The whole file as text, every record (the last one too) followed by the table's line end. */
export function csvText(table: CsvTable): string {
  const lines = [table.header, ...table.rows].map(csvLine);
  return (table.bom ? '\uFEFF' : '') + lines.map((line) => line + table.lineEnd).join('');
}

/** A JSON array of integration metadata entries, spaced the way the docs' sample is. */
export function metadataJson(entries: readonly (readonly [name: string, key: string, type: 'public' | 'secret', value: string])[]): string {
  const items = entries.map(([name, key, type, value]) =>
    `{"name": ${JSON.stringify(name)}, "key": ${JSON.stringify(key)}, "type": ${JSON.stringify(type)}, "value": ${JSON.stringify(value)}}`);
  return `[${items.join(', ')}]`;
}
