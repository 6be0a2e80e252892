/**
 * The JSON change set (DESIGN.md, `schemaVersion: 1`) and its parts. Reports, the store's commit
 * message and the CLI all read these types.
 */

export type Severity = 'high' | 'medium' | 'low';

/** What happened at one field or JSON path. */
export type ChangeOp = 'added' | 'removed' | 'changed' | 'reordered';

/** Path inside a JSON cell: object members by name, array elements by index, or, where an
 * array's objects carry an identifying member, by `[member=value]` (e.g. `[key=client_secret]`). */
export type JsonPath = Array<string | number>;

export interface FieldChange {
  /** Canonical column name. */
  readonly field: string;
  /** JSON path inside a JSON cell; empty for a plain cell or a whole-cell change. */
  readonly path: JsonPath;
  readonly op: ChangeOp;
  /** Typed value before (null when the member did not exist). */
  readonly before: unknown;
  /** Typed value after (null when the member no longer exists). */
  readonly after: unknown;
  /** True for volatile columns (Last Run, Message, Percentage Completed): kept out of headline events. */
  readonly volatile: boolean;
  /**
   * Present (and false) when both sides are secret fingerprints made with different redaction keys
   * (a `--rekey` night, or a snapshot compared with an export without its repository's key): the
   * change is recorded, but nobody can tell whether the secret itself changed, so it is never an
   * event and never called a rotation.
   */
  readonly comparable?: false;
}

export interface RecordEntry {
  /** Display form of the key (`formatKey`). */
  readonly id: string;
  /** Column → typed value (JSON cells parsed, lists as arrays, empty cells as null). */
  readonly record: Readonly<Record<string, unknown>>;
}

export interface RecordChange {
  readonly id: string;
  readonly changes: readonly FieldChange[];
}

export interface AuditEvent {
  readonly severity: Severity;
  /** Stable kind, e.g. `integration.status_changed`, `resource.schema_drift`. */
  readonly kind: string;
  /** The record's display id, or null for resource-level events. */
  readonly id: string | null;
  /** Names the record: `Integration Okta: status active → inactive`. */
  readonly summary: string;
}

export type ResourceStatus = 'compared' | 'new' | 'failed';

export interface ResourceCounts {
  readonly before: number;
  readonly after: number;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
}

export interface ResourceChange {
  readonly resource: string;
  readonly status: ResourceStatus;
  /** Set when status is `failed`. Never contains a secret. */
  readonly error?: { readonly code: string; readonly message: string };
  /**
   * Set when status is `failed`: true when the resource's previous snapshot stands (is kept in the
   * commit), false when it never had one.
   */
  readonly keptPrevious?: boolean;
  readonly counts: ResourceCounts;
  readonly schemaChanges: { readonly addedColumns: readonly string[]; readonly removedColumns: readonly string[] };
  readonly added: readonly RecordEntry[];
  readonly removed: readonly RecordEntry[];
  readonly changed: readonly RecordChange[];
  readonly events: readonly AuditEvent[];
}

export interface ChangeSetEnd {
  readonly commit: string | null;
  readonly date: string;
}

export interface ChangeSet {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly tenant: string | null;
  readonly from: ChangeSetEnd | null;
  readonly to: ChangeSetEnd;
  /** Events of the run as a whole, not of one resource (`redaction.rekeyed`). */
  readonly events: readonly AuditEvent[];
  readonly summary: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    readonly events: Readonly<Record<Severity, number>>;
  };
  readonly resources: readonly ResourceChange[];
}
