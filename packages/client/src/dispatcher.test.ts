import { describe, expect, it } from 'vitest';
import { dispatcherFromEnv } from './dispatcher.js';

describe('dispatcherFromEnv', () => {
  it.each([
    [{ HTTPS_PROXY: 'proxy.corp.example:3128' }],
    [{ https_proxy: 'not a url' }],
    [{ HTTP_PROXY: 'socks5://proxy.corp.example:1080' }],
    [{ HTTPS_PROXY: 'http://user:hunter2-secret@proxy corp:3128' }],
  ])('refuses %j with EXPORT_INVALID_OPTIONS, never echoing the value', (env) => {
    let error: unknown;
    try {
      dispatcherFromEnv(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'EXPORT_INVALID_OPTIONS' });
    expect(`${String(error)} ${JSON.stringify(error)}`).not.toMatch(/proxy\.corp|hunter2|not a url|socks5/);
  });

  it('accepts http and https proxy URLs, and no proxy at all', () => {
    for (const env of [{}, { HTTPS_PROXY: 'http://proxy.example.com:3128' }, { http_proxy: 'https://user:pw@proxy.example.com' }, { NO_PROXY: '*' }]) {
      expect(() => dispatcherFromEnv(env)).not.toThrow();
    }
  });
});
