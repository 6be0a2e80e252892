import { cutCanonical, parseCanonical, type Redactor, type ResourceSchema } from '@balkan-audit/schema';
import type { StoreContext } from './_context.js';
import type { DigestCache } from './_digest-cache.js';
import { blobChunks, readBlob } from './_objects.js';
import type { TableAt } from './types.js';

/**
 * The committed table of blob `oid`. When the cache has this exact file (it is keyed by blob id,
 * so a file edited by hand misses it), the file is cut into rows at the layout the digests keep as
 * zlib inflates it, so its bytes are never held whole; otherwise (or when the layout does not fit)
 * it is read whole and parsed — and the cache's digests are not trusted either.
 */
export async function readTableBlob(ctx: StoreContext, cache: DigestCache | null, resource: string, oid: string, schema: ResourceSchema, redactor: Redactor): Promise<TableAt> {
  const file = `${resource}.csv`;
  const digests = cache === null ? null : await cache.read(resource, oid);
  const cut = digests && await cutCanonical(blobChunks(ctx, oid), schema, { file, digests });
  if (cut) return { table: cut, digests };
  return { table: await parseCanonical(await readBlob(ctx, oid), schema, { file, redactor }), digests: null };
}
