import { resolve } from 'node:path';
import { resolveEventRules, type DiffOptions, type EventRuleTable } from '@balkan-audit/diff';
import { getSchema, type ResourceSchema } from '@balkan-audit/schema';
import { loadConfig, type AuditConfig, type ResourceConfig } from './load.js';

/** What a command on the audit repository is given: `--repo`, `--dir`, `--config`. */
export interface RepoArgs {
  readonly repo: string;
  readonly dir: string | undefined;
  readonly config: string | undefined;
}

export interface RepoConfig {
  /** The repository, absolute. */
  readonly repo: string;
  /** The snapshot directory: `--dir`, else the file's `dir`, else `snapshots`. */
  readonly dir: string;
  readonly config: AuditConfig;
  readonly settings: ConfigSettings;
}

/**
 * The configuration a command on the repository runs with (`loadConfig`: read and validated before
 * anything else happens), resolved against the flags.
 */
export async function repoConfig(args: RepoArgs, cwd: string): Promise<RepoConfig> {
  const { config } = await loadConfig({ config: args.config, repo: args.repo, cwd });
  return { repo: resolve(cwd, args.repo), dir: args.dir ?? config.dir ?? 'snapshots', config, settings: configSettings(config) };
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
