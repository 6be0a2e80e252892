import { parseArgs } from 'node:util';
import { SandboxError } from './errors.js';
import type { SandboxFaults, SandboxOptions, SyntheticSpec } from './types.js';

export const USAGE = `Usage: balkan-sandbox [options]

Runs a local BalkanID bulk download API (an API origin and a storage origin) until SIGINT/SIGTERM.

  --port N                 API port (default 0: any free port)
  --storage-port N         storage port for pre-signed links (default 0)
  --night 1|2              scripted data set (default 1)
  --api-key-id ID          accepted X-Api-Key-ID (default sandbox-key-id)
  --api-key-secret SECRET  accepted X-Api-Key-Secret
  --ready-after-polls N    HEAD pollingUrl answers 404 this many times first (default 1)
  --ready-after-ms N       an export is not ready before N ms (default 0)
  --link-ttl-ms N          pre-signed links expire after N ms (default 600000)
Faults:
  --only a,b               apply faults only to these resources
  --server-errors N        the first N requests of a step answer 5xx
  --server-error-status S  500, 502 or 503 (default 503)
  --server-errors-on STEP  post, poll or download (default post)
  --retry-after SECONDS    Retry-After sent with the 5xx
  --never-ready            HEAD pollingUrl always answers 404
  --slow-ready-ms N        readiness delayed by N ms
  --truncate               downloads stop short of their Content-Length
  --reset                  downloads send a third of their body, then reset the connection
  --expire-links N         the first N exports get already expired links
  --unauthorized           every POST answers 401
  --empty | --malformed | --duplicate-ids   alter the served CSV
Synthetic resource:
  --synthetic-rows N       serve a generated integrations-shaped export of N rows
  --synthetic-resource R   path segment it is served under (default integrations)
  --synthetic-seed N       (default 1)
  --synthetic-variant V    before or after (default before)
  --shuffle                rows in a seeded random order
  --help`;

const FLAGS = {
  port: { type: 'string' }, 'storage-port': { type: 'string' }, night: { type: 'string' },
  'api-key-id': { type: 'string' }, 'api-key-secret': { type: 'string' },
  'ready-after-polls': { type: 'string' }, 'ready-after-ms': { type: 'string' }, 'link-ttl-ms': { type: 'string' },
  only: { type: 'string' }, 'server-errors': { type: 'string' }, 'server-error-status': { type: 'string' },
  'server-errors-on': { type: 'string' }, 'retry-after': { type: 'string' }, 'never-ready': { type: 'boolean' },
  'slow-ready-ms': { type: 'string' }, truncate: { type: 'boolean' }, reset: { type: 'boolean' }, 'expire-links': { type: 'string' },
  unauthorized: { type: 'boolean' }, empty: { type: 'boolean' }, malformed: { type: 'boolean' }, 'duplicate-ids': { type: 'boolean' },
  'synthetic-rows': { type: 'string' }, 'synthetic-resource': { type: 'string' }, 'synthetic-seed': { type: 'string' },
  'synthetic-variant': { type: 'string' }, shuffle: { type: 'boolean' }, help: { type: 'boolean' },
} as const;

export interface CliSettings {
  readonly help: boolean;
  readonly port: number;
  readonly storagePort: number;
  readonly options: SandboxOptions;
}

/** Turns command-line flags into sandbox options; a bad flag is a SANDBOX_INVALID_FLAG error. */
export function parseCliArgs(argv: readonly string[]): CliSettings {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new SandboxError('SANDBOX_INVALID_FLAG', error instanceof Error ? error.message : String(error), {}, { cause: error });
  }
  const int = (flag: string): number | undefined => {
    const raw = values[flag];
    if (typeof raw !== 'string') return undefined;
    if (!/^\d+$/.test(raw)) throw new SandboxError('SANDBOX_INVALID_FLAG', `--${flag} expects a non-negative integer, received "${raw.slice(0, 20)}"`, { flag });
    return Number(raw);
  };
  const text = (flag: string): string | undefined => (typeof values[flag] === 'string' ? values[flag] : undefined);
  const faults: SandboxFaults = {
    ...(text('only') !== undefined ? { only: (text('only') ?? '').split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    ...(int('server-errors') !== undefined ? {
      serverErrors: {
        count: int('server-errors') ?? 0,
        ...(int('server-error-status') !== undefined ? { status: int('server-error-status') as 500 } : {}),
        ...(text('server-errors-on') !== undefined ? { on: text('server-errors-on') as 'post' } : {}),
        ...(int('retry-after') !== undefined ? { retryAfterSeconds: int('retry-after') } : {}),
      },
    } : {}),
    ...(values['never-ready'] === true ? { neverReady: true } : {}),
    ...(int('slow-ready-ms') !== undefined ? { slowReadyMs: int('slow-ready-ms') } : {}),
    ...(values.truncate === true ? { truncate: true } : {}),
    ...(values.reset === true ? { reset: true } : {}),
    ...(int('expire-links') !== undefined ? { expireLinks: int('expire-links') } : {}),
    ...(values.unauthorized === true ? { unauthorized: true } : {}),
    ...(values.empty === true ? { empty: true } : {}),
    ...(values.malformed === true ? { malformed: true } : {}),
    ...(values['duplicate-ids'] === true ? { duplicateIds: true } : {}),
  };
  const rows = int('synthetic-rows');
  const synthetic: SyntheticSpec | null = rows === undefined ? null : {
    resource: text('synthetic-resource') ?? 'integrations',
    rows,
    seed: int('synthetic-seed') ?? 1,
    variant: (text('synthetic-variant') ?? 'before') as 'before',
    shuffle: values.shuffle === true,
  };
  return {
    help: values.help === true,
    port: int('port') ?? 0,
    storagePort: int('storage-port') ?? 0,
    options: {
      night: (int('night') ?? 1) as 1,
      ...(text('api-key-id') !== undefined ? { apiKeyId: text('api-key-id') } : {}),
      ...(text('api-key-secret') !== undefined ? { apiKeySecret: text('api-key-secret') } : {}),
      ...(int('ready-after-polls') !== undefined ? { readyAfterPolls: int('ready-after-polls') } : {}),
      ...(int('ready-after-ms') !== undefined ? { readyAfterMs: int('ready-after-ms') } : {}),
      ...(int('link-ttl-ms') !== undefined ? { linkTtlMs: int('link-ttl-ms') } : {}),
      faults,
      synthetic,
      keepProcessAlive: true,
    },
  };
}
