import { describe, expect, it } from 'vitest';
import { resolveExportClientOptions } from './options.js';

const keys = { apiKeyId: 'key-id-0001', apiKeySecret: 'very-secret-value' };

describe('resolveExportClientOptions', () => {
  it('fills every default', () => {
    const resolved = resolveExportClientOptions({ baseUrl: 'https://app.balkan.id/', ...keys });
    expect(resolved.baseUrl.href).toBe('https://app.balkan.id/');
    expect(resolved.timeoutMs).toBe(300_000);
    expect(resolved.retries).toBe(4);
    expect(resolved.retryDelayMs).toEqual({ base: 250, cap: 8_000 });
    expect(resolved.maxRetryAfterMs).toBe(60_000);
    expect(resolved.poll).toEqual({ initialDelayMs: 500, maxDelayMs: 15_000, deadlineMs: 900_000 });
    expect(resolved.random).toBe(Math.random);
    expect(resolved.now).toBe(Date.now);
    expect(typeof resolved.sleep).toBe('function');
  });

  it('keeps given values and normalises the base URL', () => {
    const random = (): number => 0.5;
    const resolved = resolveExportClientOptions({
      baseUrl: 'http://127.0.0.1:4010/tenant/', ...keys, retries: 2, retryDelayMs: { base: 1, cap: 5 },
      poll: { initialDelayMs: 5, maxDelayMs: 20, deadlineMs: 100 }, random,
    });
    expect(resolved.baseUrl.pathname).toBe('/tenant');
    expect(resolved.retries).toBe(2);
    expect(resolved.retryDelayMs).toEqual({ base: 1, cap: 5 });
    expect(resolved.poll).toEqual({ initialDelayMs: 5, maxDelayMs: 20, deadlineMs: 100 });
    expect(resolved.random).toBe(random);
  });

  it('raises a cap below its base to the base', () => {
    const resolved = resolveExportClientOptions({ baseUrl: 'https://x.example', ...keys, poll: { initialDelayMs: 50, maxDelayMs: 10 } });
    expect(resolved.poll.maxDelayMs).toBe(50);
  });

  it.each([
    [{ baseUrl: 'http://app.balkan.id' }, 'EXPORT_INSECURE_URL'],
    [{ baseUrl: 'https://app.balkan.id?x=1' }, 'EXPORT_INVALID_OPTIONS'],
    [{ baseUrl: 'nope' }, 'EXPORT_INVALID_OPTIONS'],
    [{ apiKeyId: '' }, 'EXPORT_INVALID_OPTIONS'],
    [{ apiKeySecret: '   ' }, 'EXPORT_INVALID_OPTIONS'],
    [{ apiKeySecret: undefined }, 'EXPORT_INVALID_OPTIONS'],
    [{ apiKeySecret: 'two\nlines' }, 'EXPORT_INVALID_OPTIONS'],
    [{ retries: -1 }, 'EXPORT_INVALID_OPTIONS'],
    [{ poll: { deadlineMs: Number.NaN } }, 'EXPORT_INVALID_OPTIONS'],
    [{ retryDelayMs: { cap: Number.POSITIVE_INFINITY } }, 'EXPORT_INVALID_OPTIONS'],
  ])('refuses %j with %s', (override, code) => {
    const options = { baseUrl: 'https://app.balkan.id', ...keys, ...override } as Parameters<typeof resolveExportClientOptions>[0];
    expect(() => resolveExportClientOptions(options)).toThrow(expect.objectContaining({ code }));
  });

  it('never echoes a credential in its errors', () => {
    try {
      resolveExportClientOptions({ baseUrl: 'https://app.balkan.id', apiKeyId: 'id-1234', apiKeySecret: 'abc\ndef-secret' });
      expect.unreachable();
    } catch (error) {
      expect(JSON.stringify(error) + String(error)).not.toContain('def-secret');
    }
  });
});
