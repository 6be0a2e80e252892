import { DEFAULT_EVENT_RULES, type EventRuleTable, type ResourceEventRules } from '@balkan-audit/diff';

/** The file a repository's configuration lives in, at its top level. */
export const CONFIG_FILE_NAME = 'balkan-audit.config.json';

/** Event kinds whose events are the audit trail's own evidence: re-graded, never turned off. */
const ALWAYS_ON = [DEFAULT_EVENT_RULES.tampered.kind, DEFAULT_EVENT_RULES.rekeyed.kind];

/** Every event kind the built-in rules make, in rule order. */
export function eventKinds(table: EventRuleTable = DEFAULT_EVENT_RULES): string[] {
  const ofResource = (rules: ResourceEventRules) => [rules.added, rules.removed, ...rules.changes, ...(rules.otherChanges ? [rules.otherChanges] : [])].map((t) => t.kind);
  const kinds = [
    ...Object.values(table.resources).flatMap(ofResource), ...ofResource(table.generic),
    table.schemaDrift.kind, table.baseline.kind, table.tampered.kind, table.rekeyed.kind,
  ];
  return [...new Set(kinds)];
}

const columns = (what: string) => ({
  type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true, description: what,
});

function resourceSettings(campaigns: boolean): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    key: { ...columns('Key column(s), in order. Needed for an undocumented export whose records are not identified by `ID`.'), minItems: 1 },
    volatile: columns('Columns recorded and flagged volatile: their changes are in the change set but make no headline event.'),
    ignore: columns('Columns kept in the snapshot but never compared: a change in them is no change and no event.'),
  };
  if (campaigns) {
    properties.includeCompleted = { type: 'boolean', default: true, description: 'Export completed campaigns too (the export request\'s includeCompleted).' };
    properties.includeDraft = { type: 'boolean', default: true, description: 'Export draft campaigns too (the export request\'s includeDraft).' };
  }
  return { type: 'object', additionalProperties: false, properties };
}

const SEVERITY_TEXT: Readonly<Record<string, string>> = {
  [DEFAULT_EVENT_RULES.tampered.kind]: 'Tamper evidence: re-grade it, but it cannot be turned off.',
  [DEFAULT_EVENT_RULES.rekeyed.kind]: 'A new redaction key was accepted: re-grade it, but it cannot be turned off.',
};

/**
 * The JSON Schema (draft-07) of `balkan-audit.config.json`. The CLI validates with it, and
 * `apps/reporter/config.schema.json` is this object as written by the build, for editors.
 * `patternErrorMessage` is the VS Code keyword the CLI also uses for its own message.
 */
export function configSchema(): Record<string, unknown> {
  const severity = Object.fromEntries(eventKinds().map((kind) => {
    const values = ALWAYS_ON.includes(kind) ? ['low', 'medium', 'high'] : ['low', 'medium', 'high', 'off'];
    return [kind, { enum: values, description: SEVERITY_TEXT[kind] ?? `Severity of ${kind} events (off: no event; the change is still recorded).` }];
  }));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'balkan-audit configuration',
    description: 'balkan-audit.config.json at the audit repository\'s top level (or --config FILE). Command-line flags and environment variables override it. API keys never go here: they come from BALKANID_API_KEY_ID and BALKANID_API_KEY_SECRET.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'This schema, for editor completion: ./node_modules/balkan-audit/config.schema.json or its URL.' },
      tenant: { type: 'string', minLength: 1, description: 'Tenant name for commit subjects, reports and the pull request\'s title (--tenant, env BALKAN_AUDIT_TENANT).' },
      baseUrl: {
        type: 'string',
        pattern: '^https?://[^\\s/@?#]+(/[^\\s@?#]*)?$',
        patternErrorMessage: 'must be an http(s) origin such as https://app.balkan.id, without a user, password, query or fragment',
        description: 'The BalkanID API origin (--base-url, env BALKANID_BASE_URL).',
        default: 'https://app.balkan.id',
      },
      dir: { type: 'string', minLength: 1, default: 'snapshots', description: 'Snapshot directory inside the repository (--dir).' },
      formats: {
        type: 'array', items: { enum: ['md', 'html', 'json'] }, uniqueItems: true, minItems: 1, default: ['md', 'html', 'json'],
        description: 'Reports to write (--format): md (a pull-request body), html (one page for a reviewer), json (the change set).',
      },
      resources: {
        type: 'object',
        minProperties: 1,
        description: 'What a night snapshots (--resources overrides the list), by export path segment: the five documented exports or any other (admins, entitlements, …).',
        propertyNames: {
          pattern: '^[a-z0-9-]{1,100}$',
          patternErrorMessage: 'must be an export path segment of a-z, 0-9 and "-" (e.g. integrations, admins)',
        },
        properties: { campaigns: resourceSettings(true) },
        additionalProperties: resourceSettings(false),
      },
      severity: {
        type: 'object',
        additionalProperties: false,
        description: 'Severity by event kind: low, medium, high, or off (no event; the change is still recorded).',
        properties: severity,
      },
    },
  };
}
