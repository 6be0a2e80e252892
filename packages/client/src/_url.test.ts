import { describe, expect, it } from 'vitest';
import { isLoopbackHost, parseSecureUrl, redactUrl } from './_url.js';

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.12.0.200', true],
    ['localhost', true],
    ['LOCALHOST', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['127.0.0.1.example.com', false],
    ['localhost.example.com', false],
    ['10.0.0.1', false],
    ['app.balkan.id', false],
    ['[::2]', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://bucket.s3.amazonaws.com/exports/a.csv?X-Amz-Signature=abc&X-Amz-Credential=key', 'https://bucket.s3.amazonaws.com/exports/a.csv'],
    ['http://127.0.0.1:4000/api/rest/v0/apps/download-url', 'http://127.0.0.1:4000/api/rest/v0/apps/download-url'],
    ['https://host/path#frag', 'https://host/path'],
    ['not a url', '(invalid URL)'],
  ])('%s → %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});

describe('parseSecureUrl', () => {
  it.each([
    'https://app.balkan.id',
    'http://127.0.0.1:8080',
    'http://localhost:3000/prefix',
    'http://[::1]:9000',
  ])('accepts %s', (url) => {
    expect(parseSecureUrl(url, 'baseUrl').href.startsWith(url.slice(0, 10))).toBe(true);
  });

  it.each([
    ['http://app.balkan.id', 'EXPORT_INSECURE_URL'],
    ['http://10.1.2.3:8080', 'EXPORT_INSECURE_URL'],
    ['ftp://app.balkan.id', 'EXPORT_INVALID_OPTIONS'],
    ['app.balkan.id', 'EXPORT_INVALID_OPTIONS'],
    ['https://user:pass@app.balkan.id', 'EXPORT_INVALID_OPTIONS'],
  ])('refuses %s with %s', (url, code) => {
    expect(() => parseSecureUrl(url, 'baseUrl')).toThrow(expect.objectContaining({ code }));
  });

  it('never echoes URL credentials', () => {
    try {
      parseSecureUrl('https://user:hunter2-secret@app.balkan.id', 'baseUrl');
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('hunter2-secret');
    }
  });
});
