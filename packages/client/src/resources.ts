import { ExportError } from './errors.js';
import type { ExportRequestOptions, ExportSpec } from './types.js';

function campaignsBody(options: ExportRequestOptions): Readonly<Record<string, unknown>> {
  const campaigns = options.campaigns ?? { includeCompleted: true, includeDraft: true };
  // Both fields are required by the API; sending them explicitly keeps the export complete.
  return { includeCompleted: campaigns.includeCompleted, includeDraft: campaigns.includeDraft };
}

/** The five exports whose CSV format the API docs describe, in the docs' order. */
export const DOCUMENTED_EXPORTS: readonly ExportSpec[] = [
  { resource: 'campaigns', path: 'campaigns', documented: true, body: campaignsBody },
  { resource: 'apps', path: 'apps', documented: true },
  { resource: 'entity-rules', path: 'entity-rules', documented: true },
  { resource: 'integrations', path: 'integrations', documented: true },
  { resource: 'labels', path: 'labels', documented: true },
];

const PATH_SEGMENT = /^[a-z0-9-]+$/;

/**
 * The export named `name`: one of {@link DOCUMENTED_EXPORTS}, or any other lowercase path segment
 * (`admins`, `entitlements`, …: the docs list many undocumented exports). Anything that could
 * change the request path (`/`, `..`, `?`, upper case, empty) is refused with
 * `EXPORT_INVALID_RESOURCE`.
 */
export function resolveExport(name: string): ExportSpec {
  const documented = DOCUMENTED_EXPORTS.find((spec) => spec.resource === name);
  if (documented) return documented;
  if (typeof name !== 'string' || !PATH_SEGMENT.test(name) || name.length > 100) {
    throw new ExportError('EXPORT_INVALID_RESOURCE', `resource ${JSON.stringify(String(name).slice(0, 60))} is not a valid export name: expected a path segment of a-z, 0-9 and "-" (e.g. "integrations", "admins")`, {
      data: { resource: String(name).slice(0, 60) },
    });
  }
  return { resource: name, path: name, documented: false };
}
