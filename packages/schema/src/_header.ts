import { SCHEMA_ERROR_CODES, SchemaError } from './errors.js';
import type { ColumnSchema, ResourceSchema, SchemaDrift } from './types.js';

/** How a file's columns map onto the canonical header. */
export interface HeaderPlan {
  /** Canonical columns: documented (present) in documented order, then extras sorted by name. */
  readonly columns: readonly ColumnSchema[];
  /** For each canonical column, its index in the file's records. */
  readonly source: readonly number[];
  /** Canonical indexes of the key columns, in key order. */
  readonly keyIndexes: readonly number[];
  readonly drift: SchemaDrift;
}

/** Header names compare without the docs' `*`, surrounding spaces, a BOM, or case. */
export function matchName(name: string): string {
  return cleanName(name).toLowerCase();
}

function cleanName(name: string): string {
  return name.replace(/^\ufeff/, '').replace(/[\s*]+$/, '').replace(/\s+/g, ' ').trim();
}

/** Maps a header record onto `schema`; throws on a duplicate or a missing required/key column. */
export function planHeader(header: readonly string[], schema: ResourceSchema, file: string): HeaderPlan {
  const positions = new Map<string, number>();
  const names: string[] = [];
  header.forEach((raw, index) => {
    const name = cleanName(raw) || `Column ${index + 1}`;
    const match = name.toLowerCase();
    const earlier = positions.get(match);
    if (earlier !== undefined) {
      throw new SchemaError(SCHEMA_ERROR_CODES.duplicateColumn, `${file} line 1: column "${name}" appears twice (columns ${earlier + 1} and ${index + 1})`, { file, row: 1, column: name, positions: [earlier + 1, index + 1] });
    }
    positions.set(match, index);
    names.push(name);
  });

  const declared = schema.documented ? schema.columns : schema.key.map((name): ColumnSchema => ({ name, type: 'string', required: true, volatile: false }));
  const keyNames = new Set(schema.key.map(matchName));
  const missingRequired = declared.filter((c) => (c.required || keyNames.has(matchName(c.name))) && !positions.has(matchName(c.name)));
  const missingKeys = schema.key.filter((name) => !positions.has(matchName(name)));
  const missing = [...new Set([...missingRequired.map((c) => c.name), ...missingKeys])];
  if (missing.length > 0) {
    throw new SchemaError(SCHEMA_ERROR_CODES.missingColumn, `${file} line 1: required column${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} missing; the header has ${names.map((n) => `"${n}"`).join(', ').slice(0, 300)}`, { file, row: 1, columns: missing, header: names });
  }

  const columns: ColumnSchema[] = [];
  const source: number[] = [];
  const used = new Set<number>();
  const missingColumns: string[] = [];
  for (const column of declared) {
    const index = positions.get(matchName(column.name));
    if (index === undefined) {
      missingColumns.push(column.name);
      continue;
    }
    columns.push(column);
    source.push(index);
    used.add(index);
  }
  const extras = names.map((name, index) => ({ name, index })).filter(({ index }) => !used.has(index)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, index } of extras) {
    columns.push({ name, type: 'string', required: false, volatile: false });
    source.push(index);
  }
  const keyIndexes = schema.key.map((name) => columns.findIndex((c) => matchName(c.name) === matchName(name)));
  return {
    columns,
    source,
    keyIndexes,
    drift: { extraColumns: schema.documented ? extras.map((e) => e.name) : [], missingColumns },
  };
}
