import { CliError } from './_errors.js';

/** The public BalkanID API origin, used when neither `--base-url` nor `BALKANID_BASE_URL` is set. */
export const DEFAULT_BASE_URL = 'https://app.balkan.id';

export interface ApiConfigArgs {
  readonly baseUrl?: string | undefined;
  readonly apiKeyId?: string | undefined;
  readonly apiKeySecret?: string | undefined;
}

/** Where to reach the API and with which key; ready for `createExportClient`. */
export interface ApiConfig {
  readonly baseUrl: string;
  readonly apiKeyId: string;
  readonly apiKeySecret: string;
}

const KEY_HINT = 'set BALKANID_API_KEY_ID and BALKANID_API_KEY_SECRET in the environment (preferred: flags end up in shell history and process lists)';

/**
 * Resolves the base URL and API key from command-line flags and the environment, once, for every
 * command that talks to the API. A flag wins over its variable, which wins over the config file's `baseUrl`. A missing key is a user error
 * (`CLI_MISSING_API_KEY`) whose hint names the variables; the values themselves are never printed.
 */
export function resolveApiConfig(args: ApiConfigArgs, env: Readonly<Record<string, string | undefined>>, fileBaseUrl?: string): ApiConfig {
  const baseUrl = nonEmpty(args.baseUrl) ?? nonEmpty(env.BALKANID_BASE_URL) ?? nonEmpty(fileBaseUrl) ?? DEFAULT_BASE_URL;
  const apiKeyId = nonEmpty(args.apiKeyId) ?? nonEmpty(env.BALKANID_API_KEY_ID);
  const apiKeySecret = nonEmpty(args.apiKeySecret) ?? nonEmpty(env.BALKANID_API_KEY_SECRET);
  const missing = [apiKeyId === undefined ? 'BALKANID_API_KEY_ID' : null, apiKeySecret === undefined ? 'BALKANID_API_KEY_SECRET' : null]
    .filter((name) => name !== null);
  if (apiKeyId === undefined || apiKeySecret === undefined) {
    throw new CliError('CLI_MISSING_API_KEY', `no BalkanID API key: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set (and no --api-key-id/--api-key-secret given)`, { hint: KEY_HINT });
  }
  return { baseUrl, apiKeyId, apiKeySecret };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
