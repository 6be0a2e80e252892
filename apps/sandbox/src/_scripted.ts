import { appsTable } from './_data-apps.js';
import { campaignsTable, type CampaignFilters } from './_data-campaigns.js';
import { entityRulesTable } from './_data-entity-rules.js';
import { genericTable } from './_data-generic.js';
import { integrationsTable } from './_data-integrations.js';
import { labelsTable } from './_data-labels.js';
import type { CsvTable } from './_csv.js';
import type { SandboxNight } from './types.js';

/** The scripted table of a resource on a night, or null when the sandbox does not know the segment. */
export function scriptedTable(resource: string, night: SandboxNight, filters?: CampaignFilters): CsvTable | null {
  switch (resource) {
    case 'campaigns': return campaignsTable(night, filters);
    case 'apps': return appsTable(night);
    case 'entity-rules': return entityRulesTable(night);
    case 'integrations': return integrationsTable(night);
    case 'labels': return labelsTable(night);
    default: return genericTable(resource);
  }
}
