import { csvText } from './_csv.js';
import { APP_CHANGES } from './_data-apps.js';
import { CAMPAIGN_CHANGES } from './_data-campaigns.js';
import { ENTITY_RULE_CHANGES } from './_data-entity-rules.js';
import { INTEGRATION_CHANGES, INTEGRATION_SECRETS } from './_data-integrations.js';
import { LABEL_CHANGES } from './_data-labels.js';
import { scriptedTable } from './_scripted.js';
import { SandboxError } from './errors.js';
import type { SandboxNight, ScriptedChange } from './types.js';

/** The five exports the API docs describe, by path segment. */
export const SANDBOX_RESOURCES: readonly string[] = ['campaigns', 'apps', 'entity-rules', 'integrations', 'labels'];

/**
 * Every scripted change between night 1 and night 2. A diff of the two nights should report exactly
 * these: the `volatile.only` entries as volatile field changes only, `noop.json_key_order` as nothing
 * at all, and `resource.schema_drift` as an added column.
 */
export const NIGHT2_CHANGES: readonly ScriptedChange[] = [
  ...INTEGRATION_CHANGES, ...CAMPAIGN_CHANGES, ...APP_CHANGES, ...ENTITY_RULE_CHANGES, ...LABEL_CHANGES,
];

/** Every secret value that appears in any scripted CSV on either night (scan outputs for these). */
export const SANDBOX_SECRETS: readonly string[] = [...INTEGRATION_SECRETS];

/**
 * The exact CSV text the sandbox serves for a scripted resource on a night, before faults: the five
 * documented resources plus the few undocumented ones it knows (`admins`, `employees`,
 * `entitlements`). Campaign filters default to including completed and draft campaigns.
 * @example sandboxCsv('integrations', 2).startsWith('ID*,Name*,')
 */
export function sandboxCsv(resource: string, night: SandboxNight, filters?: { includeCompleted: boolean; includeDraft: boolean }): string {
  const table = scriptedTable(resource, night, filters);
  if (!table) {
    throw new SandboxError('SANDBOX_UNKNOWN_RESOURCE', `the sandbox has no scripted data for resource "${resource.slice(0, 60)}"`, { resource });
  }
  return csvText(table);
}
