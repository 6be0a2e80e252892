import { resolveEventRules, type DiffOptions, type EventRuleTable } from '@balkan-audit/diff';
import { getSchema, type ResourceSchema } from '@balkan-audit/schema';
import type { AuditConfig, ResourceConfig } from './load.js';


/** The snapshot directory: `--dir`, else the file's `dir`, else `snapshots`. */
export function snapshotDir(flag: string | undefined, config: AuditConfig): string {
  return flag ?? config.dir ?? 'snapshots';
}

/** What the night, `diff` and `history` need of each resource, from the file. */
export interface ResourceSettings {
  readonly schema: ResourceSchema;
  /** `volatile` and `ignore` of the file, for diffTables. */
  readonly columns: Pick<DiffOptions, 'volatile' | 'ignore'>;
}

/** The file's settings resolved once: schemas with their configured keys, event rules with severities. */
export interface ConfigSettings {
  resource(name: string): ResourceSettings;
  readonly rules: EventRuleTable;
  /** Campaigns export filters: flag, else file, else both true. */
  campaigns(flags: { includeCompleted?: boolean | undefined; includeDraft?: boolean | undefined }): { includeCompleted: boolean; includeDraft: boolean };
}

export function configSettings(config: AuditConfig): ConfigSettings {
  const of = (name: string): ResourceConfig => config.resources?.[name] ?? {};
  const campaigns = of('campaigns');
  return {
    resource: (name) => {
      const { key, volatile = [], ignore = [] } = of(name);
      return { schema: getSchema(name, key ? { key } : {}), columns: { volatile, ignore } };
    },
    rules: resolveEventRules(config.severity ? { severities: config.severity } : {}),
    campaigns: (flags) => ({
      includeCompleted: flags.includeCompleted ?? campaigns.includeCompleted ?? true,
      includeDraft: flags.includeDraft ?? campaigns.includeDraft ?? true,
    }),
  };
}
