import { isIPv4 } from 'node:net';
import { ExportError } from './errors.js';

/** 127.0.0.0/8, ::1 and `localhost`: the only hosts plain http may talk to (keys travel in headers). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host === '::1') return true;
  return isIPv4(host) && host.startsWith('127.');
}

/**
 * A URL as it may appear in a message: origin and path only. Pre-signed URLs carry their signature
 * in the query string, and a signature is a credential.
 */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = new URL(String(url));
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Parses a URL we are about to send something to and refuses anything but https, or http to a
 * loopback host. `what` names it in the message (`baseUrl`, `pollingUrl`, …).
 */
export function parseSecureUrl(value: string | URL, what: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch (cause) {
    throw new ExportError('EXPORT_INVALID_OPTIONS', `${what} is not a valid absolute URL: ${JSON.stringify(String(value).slice(0, 80))}`, { cause });
  }
  if (url.username !== '' || url.password !== '') {
    throw new ExportError('EXPORT_INVALID_OPTIONS', `${what} must not carry credentials in the URL (${redactUrl(url)}); pass the API key as apiKeyId/apiKeySecret`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:') {
    if (isLoopbackHost(url.hostname)) return url;
    throw new ExportError('EXPORT_INSECURE_URL', `${what} ${redactUrl(url)} uses plain http; expected https (http is only allowed to 127.0.0.1, ::1 or localhost)`, {
      url: redactUrl(url),
      hint: 'use the https:// address of your BalkanID tenant',
    });
  }
  throw new ExportError('EXPORT_INVALID_OPTIONS', `${what} must be an http(s) URL, received ${url.protocol}`, { url: redactUrl(url) });
}
