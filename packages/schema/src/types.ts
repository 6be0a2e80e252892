/**
 * Public types of @balkan-audit/schema. Other packages (diff, store, reporter) build on these, so
 * they change only with care.
 */

/** What `normaliseCsv` reads: the whole file, or its chunks as they arrive (a stream). */
export type CsvInput = Buffer | string | AsyncIterable<Buffer | string>;

/** How a column's cells are typed and normalised. */
export type ColumnType =
  | 'string'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'decimal'
  | 'integer'
  | 'json'
  | 'list'
  | 'url'
  | 'email';

export interface ColumnSchema {
  /** Canonical display name as documented, without the docs' `*` marker (e.g. `Primary Owner`). */
  readonly name: string;
  readonly type: ColumnType;
  /** Documented as required (`*`): an empty value is a warning, a missing column is fatal. */
  readonly required: boolean;
  /** Changes are recorded but never make a headline event (an integration's Last Run, …). */
  readonly volatile: boolean;
}

export interface ResourceSchema {
  /** The export's path segment (`integrations`, `entity-rules`, `admins`, …). */
  readonly resource: string;
  /** Singular noun for summaries: `Integration`, `Campaign`, `Custom insight`, `Record`. */
  readonly label: string;
  /** True for the five resources whose format the API docs describe. */
  readonly documented: boolean;
  /** Documented columns in documented order (empty for a generic resource). */
  readonly columns: readonly ColumnSchema[];
  /** Key column names, in order (`['ID']`; apps: `['Tenant ID', 'ID']`). */
  readonly key: readonly string[];
  /** The column that names a record in summaries (`Name`, `name`), or null. */
  readonly nameColumn: string | null;
}

/** One record of a canonical table. */
export interface CanonicalRow {
  /**
   * The record's key: the key cells' canonical values joined by U+001F (a single-column key is
   * just its value). Compare keys with `compareKeys`; show them with `formatKey`.
   */
  readonly key: string;
  /** The record as one canonical CSV record (RFC 4180, no trailing line end). */
  readonly line: string;
}

export interface ValidationWarning {
  /** Stable code, e.g. `SCHEMA_REQUIRED_EMPTY`, `SCHEMA_TYPE_MISMATCH`, `SCHEMA_JSON_INVALID`. */
  readonly code: string;
  readonly file: string;
  /** 1-based line of the file where the record starts (the header is line 1). */
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

export interface SchemaDrift {
  /** Columns in the file that the schema does not know (kept, appended sorted by name). */
  readonly extraColumns: readonly string[];
  /** Optional documented columns absent from the file. */
  readonly missingColumns: readonly string[];
}

/** A normalised export: what a snapshot file holds, in memory. */
export interface CanonicalTable {
  readonly schema: ResourceSchema;
  /** The canonical header in order: documented columns present, then extra columns (typed string). */
  readonly columns: readonly ColumnSchema[];
  /** Records sorted by `compareKeys` on `key`; keys are unique. */
  readonly rows: readonly CanonicalRow[];
  readonly drift: SchemaDrift;
  readonly warnings: readonly ValidationWarning[];
  /**
   * How many warnings of each code were found. `warnings` keeps only the first 100 of each code,
   * so a badly broken export cannot exhaust memory. Absent when nothing was validated (the
   * `parseCanonical` fast path).
   */
  readonly warningCounts?: Readonly<Record<string, number>>;
}

/**
 * What `normaliseIncremental` keeps about the table it returns, for the next night: keyed digests
 * of the raw records behind its rows, and its line layout, where `cutCanonical` cuts the file
 * written from it. Opaque bytes: keep them beside that file and give them back with its table.
 * Keyed by a key derived from the redaction key, so without it they reveal nothing about records.
 */
export type RawDigests = Buffer;
