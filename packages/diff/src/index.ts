export { diffTables, baselineChange, failedChange, unchangedChange } from './diff-tables.js';
export type { DiffOptions } from './diff-tables.js';
export { compareExports } from './compare-exports.js';
export type { CompareExportsOptions } from './compare-exports.js';
export { buildChangeSet, hasChanges } from './change-set.js';
export type { ChangeSetInput } from './change-set.js';
export { DEFAULT_EVENT_RULES, resolveEventRules, tamperedEvent, rekeyedEvent } from './rules.js';
export type { EventRuleTable, EventRuleOverrides, ResourceEventRules, FieldEventRule, EventTemplate } from './rules.js';
export { recordChanges } from './record-changes.js';
export type { HistoryEntry, HistoryEvent, RecordChangesOptions, RecordHistory, RecordTransition } from './record-changes.js';
export { DiffError } from './errors.js';
export type { DiffErrorCode } from './errors.js';
export type {
  AuditEvent, ChangeOp, ChangeSet, ChangeSetEnd, FieldChange, JsonPath, RecordChange, RecordEntry, ResourceChange,
  ResourceCounts, ResourceStatus, Severity,
} from './types.js';
