import { exportToFile, exportToMemory } from './_export.js';
import { resolveExportClientOptions } from './options.js';
import type { ExportClient, ExportClientOptions } from './types.js';

/**
 * A client for BalkanID's bulk CSV exports: request → poll → download (see the package README).
 * Options are validated here, once; a bad base URL or a missing key throws at once.
 *
 * @example
 * const client = createExportClient({ baseUrl: 'https://app.balkan.id', apiKeyId, apiKeySecret });
 * const result = await client.exportToFile('integrations', 'out/integrations.csv');
 * console.log(result.bytes, result.sha256);
 */
export function createExportClient(options: ExportClientOptions): ExportClient {
  const resolved = resolveExportClientOptions(options);
  return {
    exportToFile: (resource, file, exportOptions) => exportToFile(resolved, resource, file, exportOptions),
    exportToMemory: (resource, exportOptions) => exportToMemory(resolved, resource, exportOptions),
  };
}
