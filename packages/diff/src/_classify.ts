import { isFingerprint, type ResourceSchema } from '@balkan-audit/schema';
import { credentialName, fillTemplate, renderDetails, renderValue } from './_summary.js';
import type { EventTemplate, FieldEventRule, ResourceEventRules } from './rules.js';
import type { AuditEvent, FieldChange } from './types.js';

/** Typed cells of one side of a record, decoded on demand. */
export interface RecordView {
  get(column: string): unknown;
}

export interface EventContext {
  readonly schema: ResourceSchema;
  readonly rules: ResourceEventRules;
  readonly id: string;
  readonly before: RecordView | null;
  readonly after: RecordView | null;
}

/** The event of an added or removed record. */
export function recordEvent(context: EventContext, template: EventTemplate): AuditEvent {
  return event(context, template, []);
}

/**
 * The events of one changed record: each non-volatile change goes to the first rule that matches
 * it, one event per rule (in rule order); what no rule matched makes one `otherChanges` event,
 * unless it only touched quiet (bookkeeping) columns. A record whose only changes are volatile
 * (or fingerprints that cannot be compared) gets no event at all.
 */
export function changeEvents(context: EventContext, changes: readonly FieldChange[]): AuditEvent[] {
  const { rules } = context;
  const matched = new Map<FieldEventRule, FieldChange[]>();
  const other: FieldChange[] = [];
  let otherIsQuiet = true;
  for (const change of changes) {
    if (change.volatile || change.comparable === false) continue;
    const found = rules.changes.find((rule) => matches(rule, change));
    if (found) {
      const list = matched.get(found);
      if (list) list.push(change);
      else matched.set(found, [change]);
    } else {
      other.push(change);
      if (!rules.quiet.includes(change.field)) otherIsQuiet = false;
    }
  }
  const events: AuditEvent[] = [];
  for (const rule of rules.changes) {
    const list = matched.get(rule);
    if (list) events.push(event(context, rule, list));
  }
  if (other.length > 0 && !otherIsQuiet && rules.otherChanges) {
    events.push(event(context, rules.otherChanges, other.filter((c) => !rules.quiet.includes(c.field))));
  }
  return events;
}

function matches(rule: FieldEventRule, change: FieldChange): boolean {
  if (!rule.fields.includes(change.field)) return false;
  const values = rule.values ?? 'any';
  if (values === 'any') return true;
  return (values === 'secret') === isSecretChange(change);
}

/** A fingerprint replaced by another (or set, or cleared): a credential rotation. */
function isSecretChange(change: FieldChange): boolean {
  if (change.op !== 'changed') return false;
  return isFingerprintValue(change.before) || isFingerprintValue(change.after);
}

function isFingerprintValue(value: unknown): boolean {
  return typeof value === 'string' && isFingerprint(value);
}

function event(context: EventContext, template: EventTemplate, changes: readonly FieldChange[]): AuditEvent {
  const { schema, rules, id, before, after } = context;
  const current = after ?? before;
  const first = changes[0];
  const fields = [...new Set(changes.map((c) => c.field))];
  const actor = rules.actorColumn && current ? current.get(rules.actorColumn) : null;
  const values: Record<string, string> = {
    label: schema.label,
    id,
    name: nameOf(schema, current, id),
    oldName: nameOf(schema, before ?? after, id),
    fields: fields.join(', '),
    before: first && before ? renderValue(before.get(first.field)) : '',
    after: first && after ? renderValue(after.get(first.field)) : '',
    details: renderDetails(changes),
    credentials: [...new Set(changes.map(credentialName))].join(', '),
    by: actor === null || actor === undefined || actor === '' ? '' : ` by ${renderValue(actor)}`,
  };
  return { severity: template.severity, kind: template.kind, id, summary: fillTemplate(template.summary, values) };
}

function nameOf(schema: ResourceSchema, view: RecordView | null, id: string): string {
  if (!schema.nameColumn || !view) return id;
  const name = view.get(schema.nameColumn);
  return name === null || name === undefined || name === '' ? id : renderValue(name);
}
