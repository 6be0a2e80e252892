import { SandboxError } from './errors.js';
import type { SandboxFaults, SandboxNight, SandboxOptions, SandboxRequestLog, SyntheticSpec } from './types.js';

export const DEFAULT_API_KEY_ID = 'sandbox-key-id';
export const DEFAULT_API_KEY_SECRET = 'sandbox-key-secret-4f7c2a9e1b3d';

export interface SandboxOptionsResolved {
  readonly night: SandboxNight;
  readonly apiKeyId: string;
  readonly apiKeySecret: string;
  readonly readyAfterPolls: number;
  readonly readyAfterMs: number;
  readonly linkTtlMs: number;
  readonly faults: SandboxFaults;
  readonly synthetic: SyntheticSpec | null;
  readonly keepProcessAlive: boolean;
  readonly onRequest: (entry: SandboxRequestLog) => void;
  readonly tls: { readonly key: string | Buffer; readonly cert: string | Buffer } | null;
}

/** Fills the defaults of `createSandbox` once and refuses values the sandbox cannot honour. */
export function resolveSandboxOptions(options: SandboxOptions = {}): SandboxOptionsResolved {
  const resolved: SandboxOptionsResolved = {
    night: checkNight(options.night ?? 1),
    apiKeyId: options.apiKeyId ?? DEFAULT_API_KEY_ID,
    apiKeySecret: options.apiKeySecret ?? DEFAULT_API_KEY_SECRET,
    readyAfterPolls: checkCount('readyAfterPolls', options.readyAfterPolls ?? 1),
    readyAfterMs: checkCount('readyAfterMs', options.readyAfterMs ?? 0),
    linkTtlMs: checkCount('linkTtlMs', options.linkTtlMs ?? 10 * 60 * 1000),
    faults: checkFaults(options.faults ?? {}),
    synthetic: options.synthetic == null ? null : checkSynthetic(options.synthetic),
    keepProcessAlive: options.keepProcessAlive ?? false,
    onRequest: options.onRequest ?? (() => {}),
    tls: options.tls ?? null,
  };
  if (resolved.tls && !(resolved.tls.key.length > 0 && resolved.tls.cert.length > 0)) {
    throw new SandboxError('SANDBOX_INVALID_OPTION', 'tls needs a non-empty PEM key and cert', { option: 'tls' });
  }
  if (resolved.apiKeyId === '' || resolved.apiKeySecret === '') {
    throw new SandboxError('SANDBOX_INVALID_OPTION', 'apiKeyId and apiKeySecret must be non-empty strings', { option: 'apiKeyId/apiKeySecret' });
  }
  return resolved;
}

export function checkNight(night: unknown): SandboxNight {
  if (night !== 1 && night !== 2) {
    throw new SandboxError('SANDBOX_INVALID_OPTION', `night must be 1 or 2, received ${String(night).slice(0, 20)}`, { option: 'night' });
  }
  return night;
}

export function checkFaults(faults: SandboxFaults): SandboxFaults {
  const errors = faults.serverErrors;
  if (errors) {
    checkCount('faults.serverErrors.count', errors.count);
    if (errors.status !== undefined && ![500, 502, 503].includes(errors.status)) {
      throw new SandboxError('SANDBOX_INVALID_OPTION', `faults.serverErrors.status must be 500, 502 or 503, received ${errors.status}`, { option: 'faults.serverErrors.status' });
    }
    if (errors.on !== undefined && !['post', 'poll', 'download'].includes(errors.on)) {
      throw new SandboxError('SANDBOX_INVALID_OPTION', `faults.serverErrors.on must be post, poll or download, received ${String(errors.on).slice(0, 20)}`, { option: 'faults.serverErrors.on' });
    }
  }
  if (faults.slowReadyMs !== undefined) checkCount('faults.slowReadyMs', faults.slowReadyMs);
  if (faults.expireLinks !== undefined) checkCount('faults.expireLinks', faults.expireLinks);
  return faults;
}

export function checkResource(resource: string, option = 'resource'): string {
  if (typeof resource !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(resource)) {
    throw new SandboxError('SANDBOX_INVALID_OPTION', `${option} must be a path segment like "integrations", received "${String(resource).slice(0, 40)}"`, { option });
  }
  return resource;
}

export function checkSynthetic(spec: SyntheticSpec): SyntheticSpec {
  checkResource(spec.resource, 'synthetic.resource');
  checkSyntheticShape(spec);
  return spec;
}

/** Rows and seed of a generator spec: rows a non-negative integer, seed a 32-bit integer. */
export function checkSyntheticShape(spec: { rows: number; seed: number; variant: string }): void {
  checkCount('synthetic.rows', spec.rows);
  if (!Number.isInteger(spec.seed)) {
    throw new SandboxError('SANDBOX_INVALID_OPTION', `synthetic.seed must be an integer, received ${String(spec.seed).slice(0, 20)}`, { option: 'synthetic.seed' });
  }
  if (spec.variant !== 'before' && spec.variant !== 'after') {
    throw new SandboxError('SANDBOX_INVALID_OPTION', `synthetic.variant must be "before" or "after", received "${String(spec.variant).slice(0, 20)}"`, { option: 'synthetic.variant' });
  }
}

function checkCount(option: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new SandboxError('SANDBOX_INVALID_OPTION', `${option} must be a non-negative integer, received ${String(value).slice(0, 20)}`, { option });
  }
  return value;
}
