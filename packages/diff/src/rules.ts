import { fillTemplate } from './_summary.js';
import { DiffError } from './errors.js';
import type { AuditEvent, Severity } from './types.js';

/** One kind of event: its stable kind, severity and summary template. */
export interface EventTemplate {
  readonly kind: string;
  readonly severity: Severity;
  /**
   * Summary template. Placeholders: `{label}` (Integration), `{name}` (the record's name, or its id),
   * `{oldName}`, `{id}`, `{fields}` (matched columns), `{before}` / `{after}` (the first matched
   * column's whole value), `{details}` (each matched change, e.g. `Status: active → inactive`),
   * `{credentials}` (names of rotated secrets), `{by}` (` by user2` from the actor column, or
   * nothing); resource-level: `{resource}`, `{columnChanges}`, `{rows}`. Secrets and fingerprints
   * are never rendered.
   */
  readonly summary: string;
}

/** Turns changes of some columns into one event per record. */
export interface FieldEventRule extends EventTemplate {
  /** Canonical column names the rule watches. */
  readonly fields: readonly string[];
  /**
   * `secret`: only changes where a redacted fingerprint changed (a credential rotation); `plain`:
   * only the others; `any`: both.
   * @default 'any'
   */
  readonly values?: 'secret' | 'plain' | 'any';
}

/** The events of one resource. Plain data, so a config file can override it. */
export interface ResourceEventRules {
  readonly added: EventTemplate;
  readonly removed: EventTemplate;
  /** Tried in order; each change goes to the first rule that matches it. */
  readonly changes: readonly FieldEventRule[];
  /** Non-volatile changes no rule matched (one event per record), or null for none. */
  readonly otherChanges: EventTemplate | null;
  /** Bookkeeping columns (`updated_at`): recorded, but never an event on their own. @default [] */
  readonly quiet: readonly string[];
  /** The column naming who made a change, for `{by}` (`updated_by`). @default null */
  readonly actorColumn: string | null;
}

/** Every resource's rules, the rules of undocumented resources, and the resource-level events. */
export interface EventRuleTable {
  readonly resources: Readonly<Record<string, ResourceEventRules>>;
  /** Resources without their own entry (generic exports such as `admins`). */
  readonly generic: ResourceEventRules;
  /** Columns appeared in or disappeared from an export. */
  readonly schemaDrift: EventTemplate;
  /** First snapshot of a resource (one event, not one per record). */
  readonly baseline: EventTemplate;
  /** A committed snapshot file no longer matches its manifest: someone edited it outside the tool. */
  readonly tampered: EventTemplate;
  /** The run accepted a new redaction key (`--rekey`): one event for the run, not one per secret. */
  readonly rekeyed: EventTemplate;
  /**
   * Event kinds turned off (severity `off` in a config): the changes are still recorded, but make
   * no event. Never `snapshot.tampered` or `redaction.rekeyed`: tamper evidence cannot be silenced.
   * @default []
   */
  readonly off?: readonly string[];
}

/** What a config file may override: whole rule sets per resource, or just severities by kind. */
export interface EventRuleOverrides {
  readonly resources?: Readonly<Record<string, Partial<ResourceEventRules>>>;
  readonly generic?: Partial<ResourceEventRules>;
  readonly schemaDrift?: Partial<EventTemplate>;
  readonly baseline?: Partial<EventTemplate>;
  readonly tampered?: Partial<EventTemplate>;
  readonly rekeyed?: Partial<EventTemplate>;
  /**
   * Severity by event kind, applied last (`{ "campaign.dates_changed": "medium" }`); `off` drops
   * the kind's events (not allowed for `snapshot.tampered` and `redaction.rekeyed`).
   */
  readonly severities?: Readonly<Record<string, Severity | 'off'>>;
}

const t = (kind: string, severity: Severity, summary: string): EventTemplate => ({ kind, severity, summary });
const rule = (kind: string, severity: Severity, fields: string[], summary: string, values: 'secret' | 'plain' | 'any' = 'any'): FieldEventRule =>
  ({ kind, severity, fields, summary, values });

const ADDED = '{label} {name} added';
const REMOVED = '{label} {name} removed';
const OTHER = '{label} {name}: {fields} changed ({details})';
const INTEGRATION_OPTIONS = ['Metadata', 'Provisioning Options', 'Extraction Options'];

/** The built-in rules: severities chosen as a security reviewer reads a nightly change report. */
export const DEFAULT_EVENT_RULES: EventRuleTable = {
  resources: {
    integrations: {
      added: t('integration.added', 'high', ADDED),
      removed: t('integration.removed', 'high', REMOVED),
      changes: [
        rule('integration.status_changed', 'high', ['Status'], '{label} {name}: status {before} → {after}'),
        rule('integration.owner_changed', 'medium', ['Primary Owner'], '{label} {name}: primary owner {before} → {after}'),
        rule('integration.secret_rotated', 'medium', INTEGRATION_OPTIONS, '{label} {name}: credential {credentials} rotated', 'secret'),
        rule('integration.reviewer_precedence_changed', 'medium', ['Reviewer Precedence'], '{label} {name}: reviewer precedence {before} → {after}'),
        rule('integration.options_changed', 'medium', INTEGRATION_OPTIONS, '{label} {name}: {fields} changed ({details})', 'plain'),
      ],
      otherChanges: t('integration.changed', 'low', OTHER),
      quiet: [],
      actorColumn: null,
    },
    campaigns: {
      added: t('campaign.added', 'medium', ADDED),
      removed: t('campaign.removed', 'high', REMOVED),
      changes: [
        rule('campaign.status_changed', 'medium', ['Status'], '{label} {name}: status {before} → {after}'),
        rule('campaign.published_changed', 'medium', ['Is Published'], '{label} {name}: published {before} → {after}'),
        rule('campaign.dates_changed', 'low', ['Start Date', 'End Date'], '{label} {name}: dates changed ({details})'),
        rule('campaign.schedule_changed', 'medium', ['Recurrence', 'Escalation', 'Escalation Date'], '{label} {name}: recurrence or escalation changed ({details})'),
      ],
      otherChanges: t('campaign.changed', 'low', OTHER),
      quiet: [],
      actorColumn: null,
    },
    apps: {
      added: t('app.added', 'medium', ADDED),
      removed: t('app.removed', 'medium', REMOVED),
      changes: [
        rule('app.tenant_status_changed', 'high', ['Tenant Status'], '{label} {name}: tenant status {before} → {after}'),
      ],
      otherChanges: t('app.changed', 'low', OTHER),
      quiet: [],
      actorColumn: null,
    },
    'entity-rules': {
      added: t('insight.added', 'medium', '{label} {name} added{by}'),
      removed: t('insight.removed', 'medium', REMOVED),
      changes: [
        rule('insight.filter_changed', 'medium', ['entity_filter'], '{label} {name}: filter changed{by} ({details})'),
      ],
      otherChanges: t('insight.changed', 'low', '{label} {name}: {fields} changed{by} ({details})'),
      quiet: ['updated_at', 'updated_by'],
      actorColumn: 'updated_by',
    },
    labels: {
      added: t('label.added', 'low', ADDED),
      removed: t('label.removed', 'medium', REMOVED),
      changes: [
        rule('label.renamed', 'low', ['Name'], '{label} {oldName}: renamed to {after}'),
        rule('label.type_changed', 'medium', ['Type'], '{label} {name}: type {before} → {after}'),
        rule('label.style_changed', 'low', ['Color', 'Icon', 'Background Color', 'Text Color', 'Light Background Color',
          'Light Text Color', 'Dark Background Color', 'Dark Text Color'], '{label} {name}: style changed ({details})'),
      ],
      otherChanges: t('label.changed', 'low', OTHER),
      quiet: [],
      actorColumn: null,
    },
  },
  generic: {
    added: t('record.added', 'medium', ADDED),
    removed: t('record.removed', 'medium', REMOVED),
    changes: [],
    otherChanges: t('record.changed', 'low', OTHER),
    quiet: [],
    actorColumn: null,
  },
  schemaDrift: t('resource.schema_drift', 'medium', '{resource}: export columns changed ({columnChanges})'),
  baseline: t('resource.baseline', 'low', '{resource}: first snapshot, {rows} records'),
  tampered: t('snapshot.tampered', 'high', '{file} was changed outside balkan-audit{commit}: it no longer matches its manifest; rebuilt from tonight\'s export'),
  rekeyed: t('redaction.rekeyed', 'medium', 'Redaction key changed from {from} to {to} (--rekey): secret fingerprints were re-made, so a credential rotated tonight cannot be told apart'),
};

/**
 * The rule table with `overrides` laid over the defaults: a resource's entry replaces the named
 * parts of its default (or of the generic rules for a resource without defaults), then
 * `severities` re-grades events by kind. Pure; the result is what `diffTables` uses.
 */
export function resolveEventRules(overrides: EventRuleOverrides = {}): EventRuleTable {
  const base = DEFAULT_EVENT_RULES;
  const resources: Record<string, ResourceEventRules> = { ...base.resources };
  for (const [name, partial] of Object.entries(overrides.resources ?? {})) {
    resources[name] = { ...(base.resources[name] ?? base.generic), ...partial };
  }
  const table: EventRuleTable = {
    resources,
    generic: { ...base.generic, ...overrides.generic },
    schemaDrift: { ...base.schemaDrift, ...overrides.schemaDrift },
    baseline: { ...base.baseline, ...overrides.baseline },
    tampered: { ...base.tampered, ...overrides.tampered },
    rekeyed: { ...base.rekeyed, ...overrides.rekeyed },
  };
  const severities = overrides.severities;
  return severities ? regrade(table, severities) : table;
}

/** Kinds whose events are the evidence of the audit trail itself: `off` does not apply to them. */
const ALWAYS_ON = new Set([DEFAULT_EVENT_RULES.tampered.kind, DEFAULT_EVENT_RULES.rekeyed.kind]);

function regrade(table: EventRuleTable, severities: Readonly<Record<string, Severity | 'off'>>): EventRuleTable {
  const off = Object.keys(severities).filter((kind) => severities[kind] === 'off');
  const refused = off.filter((kind) => ALWAYS_ON.has(kind));
  if (refused.length > 0) {
    throw new DiffError('DIFF_INVALID_OPTION', `severity "off" cannot apply to ${refused.join(', ')}: tamper evidence is never silenced`, { data: { kinds: refused } });
  }
  const grade = <T extends EventTemplate>(template: T): T => {
    const severity = severities[template.kind];
    return severity && severity !== 'off' ? { ...template, severity } : template;
  };
  const gradeResource = (rules: ResourceEventRules): ResourceEventRules => ({
    ...rules,
    added: grade(rules.added),
    removed: grade(rules.removed),
    changes: rules.changes.map(grade),
    otherChanges: rules.otherChanges && grade(rules.otherChanges),
  });
  return {
    resources: Object.fromEntries(Object.entries(table.resources).map(([name, rules]) => [name, gradeResource(rules)])),
    generic: gradeResource(table.generic),
    schemaDrift: grade(table.schemaDrift),
    baseline: grade(table.baseline),
    tampered: grade(table.tampered),
    rekeyed: grade(table.rekeyed),
    off,
  };
}

/** The rules that apply to `resource`. */
export function rulesFor(table: EventRuleTable, resource: string): ResourceEventRules {
  return table.resources[resource] ?? table.generic;
}

/**
 * The resource-level event of a snapshot file that no longer matches its manifest. `commit` is the
 * commit that last changed the file, when known.
 */
export function tamperedEvent(table: EventRuleTable, input: { resource: string; file: string; commit: { oid: string; subject: string } | null }): AuditEvent {
  const { commit } = input;
  const where = commit === null ? '' : ` in commit ${commit.oid.slice(0, 12)} ("${commit.subject.length > 60 ? `${commit.subject.slice(0, 59)}…` : commit.subject}")`;
  return templateEvent(table.tampered, { resource: input.resource, file: input.file, commit: where });
}

/** The run-level event of a night that accepted a new redaction key; `from`/`to` are key ids. */
export function rekeyedEvent(table: EventRuleTable, input: { from: string; to: string }): AuditEvent {
  return templateEvent(table.rekeyed, { from: input.from, to: input.to });
}

function templateEvent(template: EventTemplate, values: Readonly<Record<string, string>>): AuditEvent {
  return { severity: template.severity, kind: template.kind, id: null, summary: fillTemplate(template.summary, values) };
}
