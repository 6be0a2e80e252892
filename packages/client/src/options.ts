import { dispatcherFromEnv } from './dispatcher.js';
import { ExportError } from './errors.js';
import { abortableSleep } from './_sleep.js';
import { parseSecureUrl } from './_url.js';
import type { ExportClientOptions, ExportClientOptionsResolved } from './types.js';

/**
 * Validates {@link ExportClientOptions} and fills every default, once; nothing downstream checks
 * for `undefined` again. Throws `EXPORT_INVALID_OPTIONS` (bad value, missing key) or
 * `EXPORT_INSECURE_URL` (plain http to a non-loopback host).
 */
export function resolveExportClientOptions(options: ExportClientOptions): ExportClientOptionsResolved {
  const baseUrl = parseSecureUrl(options.baseUrl, 'baseUrl');
  if (baseUrl.search !== '' || baseUrl.hash !== '') {
    throw new ExportError('EXPORT_INVALID_OPTIONS', 'baseUrl must not have a query string or fragment; expected e.g. https://app.balkan.id');
  }
  baseUrl.pathname = baseUrl.pathname.replace(/\/+$/, '');
  const poll = options.poll ?? {};
  const initialDelayMs = count('poll.initialDelayMs', poll.initialDelayMs, 500);
  const retryBase = count('retryDelayMs.base', options.retryDelayMs?.base, 250);
  return {
    baseUrl,
    apiKeyId: credential('apiKeyId', options.apiKeyId),
    apiKeySecret: credential('apiKeySecret', options.apiKeySecret),
    timeoutMs: count('timeoutMs', options.timeoutMs, 300_000),
    retries: Math.floor(count('retries', options.retries, 4)),
    retryDelayMs: { base: retryBase, cap: Math.max(retryBase, count('retryDelayMs.cap', options.retryDelayMs?.cap, 8_000)) },
    maxRetryAfterMs: count('maxRetryAfterMs', options.maxRetryAfterMs, 60_000),
    poll: {
      initialDelayMs,
      maxDelayMs: Math.max(initialDelayMs, count('poll.maxDelayMs', poll.maxDelayMs, 15_000)),
      deadlineMs: count('poll.deadlineMs', poll.deadlineMs, 15 * 60_000),
    },
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? abortableSleep,
    dispatcher: options.dispatcher ?? dispatcherFromEnv(process.env),
  };
}

function credential(name: 'apiKeyId' | 'apiKeySecret', value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    // Never echo the value: it is (part of) a credential.
    throw new ExportError('EXPORT_INVALID_OPTIONS', `${name} is required: expected a non-empty string, received ${value === undefined ? 'nothing' : typeof value === 'string' ? 'an empty string' : typeof value}`, {
      hint: 'check BALKANID_API_KEY_ID / BALKANID_API_KEY_SECRET',
    });
  }
  if (/[\r\n]/.test(value)) {
    throw new ExportError('EXPORT_INVALID_OPTIONS', `${name} contains a line break; expected a single-line API key`, {
      hint: 'check BALKANID_API_KEY_ID / BALKANID_API_KEY_SECRET',
    });
  }
  return value.trim();
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new ExportError('EXPORT_INVALID_OPTIONS', `${name} must be a finite number ≥ 0, received ${String(value)}`);
  }
  return value;
}
