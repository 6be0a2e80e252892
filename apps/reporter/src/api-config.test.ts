import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL, resolveApiConfig } from './api-config.js';

describe('resolveApiConfig', () => {
  const env = { BALKANID_BASE_URL: 'http://127.0.0.1:9', BALKANID_API_KEY_ID: 'env-id', BALKANID_API_KEY_SECRET: 'env-secret' };

  it.each([
    [{}, env, { baseUrl: 'http://127.0.0.1:9', apiKeyId: 'env-id', apiKeySecret: 'env-secret' }],
    [{ baseUrl: 'https://t.example', apiKeyId: 'flag-id', apiKeySecret: 'flag-secret' }, env, { baseUrl: 'https://t.example', apiKeyId: 'flag-id', apiKeySecret: 'flag-secret' }],
    [{ apiKeyId: '  ' }, env, { baseUrl: 'http://127.0.0.1:9', apiKeyId: 'env-id', apiKeySecret: 'env-secret' }],
    [{}, { BALKANID_API_KEY_ID: 'i', BALKANID_API_KEY_SECRET: 's', BALKANID_BASE_URL: '' }, { baseUrl: DEFAULT_BASE_URL, apiKeyId: 'i', apiKeySecret: 's' }],
  ])('args %j with env → %j', (args, environment, expected) => {
    expect(resolveApiConfig(args, environment)).toEqual(expected);
  });

  it.each([
    [{}, {}],
    [{}, { BALKANID_API_KEY_ID: 'only-id-value' }],
    [{ apiKeySecret: 'only-secret-value' }, {}],
  ])('refuses a missing key (args %j, env %j) without printing what is set', (args, environment) => {
    try {
      resolveApiConfig(args, environment);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'CLI_MISSING_API_KEY' });
      expect((error as { hint: string }).hint).toContain('BALKANID_API_KEY_SECRET');
      expect(String(error)).not.toContain('only-');
    }
  });
});
