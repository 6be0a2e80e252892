import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

/** The environment variables {@link dispatcherFromEnv} reads; any other entry is ignored. */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/**
 * The client's default HTTP dispatcher, built from `env` (not from `process.env` unless it is
 * passed): with `HTTPS_PROXY` / `HTTP_PROXY` set, undici's `EnvHttpProxyAgent`, which tunnels
 * https (and http) requests through the proxy with CONNECT, except to hosts matching `NO_PROXY`;
 * otherwise a plain undici `Agent`. Lowercase names win over uppercase ones, as in undici.
 * Certificates are checked against Node's CA store, which includes `NODE_EXTRA_CA_CERTS`.
 *
 * @example
 * createExportClient({ baseUrl, apiKeyId, apiKeySecret, dispatcher: dispatcherFromEnv(env) });
 */
export function dispatcherFromEnv(env: ProxyEnv): Dispatcher {
  const read = (name: string): string | undefined => env[name] ?? env[name.toUpperCase()];
  const httpProxy = read('http_proxy');
  const httpsProxy = read('https_proxy');
  if (!httpProxy && !httpsProxy) return new Agent();
  // Empty strings rather than undefined: undici would fall back to process.env for a missing one.
  return new EnvHttpProxyAgent({ httpProxy: httpProxy ?? '', httpsProxy: httpsProxy ?? '', noProxy: read('no_proxy') ?? '' });
}
