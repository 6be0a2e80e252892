import { RESOURCES } from './_resources.js';
import type { ResourceSchema } from './types.js';

/** The resources whose CSV format the API docs describe, in the docs' order. */
export const DOCUMENTED_RESOURCES: readonly string[] = Object.freeze(RESOURCES.map((schema) => schema.resource));

export interface GetSchemaOptions {
  /**
   * Key column names, in order. Overrides a documented key too.
   * @default the documented key, or `['ID']` for an undocumented resource
   */
  readonly key?: readonly string[];
}

/**
 * The schema of an export by its path segment: the documented one, or a generic one for any other
 * resource (key `ID` unless `options.key`, no declared columns, every column a string).
 *
 * @example getSchema('integrations').columns.map((c) => c.name)
 * @example getSchema('admins', { key: ['Email'] })
 */
export function getSchema(resource: string, options: GetSchemaOptions = {}): ResourceSchema {
  const documented = RESOURCES.find((schema) => schema.resource === resource);
  const key = options.key !== undefined && options.key.length > 0 ? Object.freeze([...options.key]) : undefined;
  if (documented) return key ? Object.freeze({ ...documented, key }) : documented;
  return Object.freeze({
    resource,
    label: 'Record',
    documented: false,
    columns: Object.freeze([]),
    key: key ?? Object.freeze(['ID']),
    nameColumn: null,
  });
}
