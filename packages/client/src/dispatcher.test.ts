import { Agent, EnvHttpProxyAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { dispatcherFromEnv } from './dispatcher.js';

describe('dispatcherFromEnv', () => {
  it.each([
    [{}, 'Agent', Agent],
    [{ NO_PROXY: '*' }, 'Agent', Agent],
    [{ HTTPS_PROXY: '' }, 'Agent', Agent],
    [{ HTTPS_PROXY: 'http://127.0.0.1:3128' }, 'EnvHttpProxyAgent', EnvHttpProxyAgent],
    [{ https_proxy: 'http://127.0.0.1:3128' }, 'EnvHttpProxyAgent', EnvHttpProxyAgent],
    [{ HTTP_PROXY: 'http://127.0.0.1:3128', NO_PROXY: 'localhost' }, 'EnvHttpProxyAgent', EnvHttpProxyAgent],
    [{ http_proxy: 'http://127.0.0.1:3128' }, 'EnvHttpProxyAgent', EnvHttpProxyAgent],
  ])('%j → an %s', (env, _name, expected) => {
    expect(dispatcherFromEnv(env)).toBeInstanceOf(expected);
  });
});
