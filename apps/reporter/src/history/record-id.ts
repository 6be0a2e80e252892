import { parseKey, type ResourceSchema } from '@balkan-audit/schema';
import { CliError } from '../_errors.js';

/**
 * A record's id as reports show it (`formatKey`: a composite key's parts joined by `/`, e.g.
 * `01TENANT/zoom` for apps) as the key the snapshot sorts by. Pure.
 */
export function keyOfId(schema: ResourceSchema, id: string): string {
  if (id === '') throw new CliError('HISTORY_BAD_ID', `the ${schema.resource} id is empty`);
  const key = parseKey(schema, id);
  if (key === null) {
    throw new CliError('HISTORY_BAD_ID', `${schema.resource} records are named by ${schema.key.join(' and ')}, written ${schema.key.map((k) => k.toUpperCase().replace(/\s+/g, '_')).join('/')}; received ${JSON.stringify(id.slice(0, 80))}`, {
      hint: `e.g. balkan-audit history ${schema.resource} ${schema.key.map((_, i) => (i === 0 ? '01TENANT' : 'zoom')).join('/')}`,
    });
  }
  return key;
}
