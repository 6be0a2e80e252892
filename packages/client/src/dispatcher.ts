import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { ExportError } from './errors.js';

/** The environment variables {@link dispatcherFromEnv} reads; any other entry is ignored. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/**
 * The client's default HTTP dispatcher: undici's `EnvHttpProxyAgent`, configured from `env` alone
 * (never from `process.env` unless that is what is passed). With `HTTPS_PROXY` / `HTTP_PROXY` set,
 * https (and http) requests are tunnelled through the proxy with CONNECT, except to hosts matching
 * `NO_PROXY`; lowercase names win over uppercase ones, as in undici. Without them it connects
 * directly. Certificates are checked against Node's CA store, which includes `NODE_EXTRA_CA_CERTS`.
 *
 * @example
 * createExportClient({ baseUrl, apiKeyId, apiKeySecret, dispatcher: dispatcherFromEnv(env) });
 */
export function dispatcherFromEnv(env: ProxyEnv): Dispatcher {
  const read = (name: string): string => env[name] ?? env[name.toUpperCase()] ?? '';
  for (const name of ['http_proxy', 'https_proxy']) {
    const value = read(name);
    // Never echo the value: a proxy URL may carry a password.
    if (value !== '' && !(URL.canParse(value) && /^https?:$/.test(new URL(value).protocol))) {
      throw new ExportError('EXPORT_INVALID_OPTIONS', `${name.toUpperCase()} (or ${name}) is not an http(s) URL; expected e.g. http://proxy.example.com:3128`);
    }
  }
  // Empty strings rather than undefined: undici would fall back to process.env for a missing one.
  return new EnvHttpProxyAgent({ httpProxy: read('http_proxy'), httpsProxy: read('https_proxy'), noProxy: read('no_proxy') });
}
