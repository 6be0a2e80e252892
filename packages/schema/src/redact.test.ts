import { describe, expect, it } from 'vitest';
import { createRedactor, isFingerprint, isSecretName } from './redact.js';

const redactor = createRedactor('test-key');
const fp = (value: string): string => redactor.fingerprint(value);

describe('fingerprint', () => {
  it('is keyed, stable and recognisable', () => {
    expect(fp('s3cret')).toMatch(/^redacted:hmac-sha256:[0-9a-f]{12}$/);
    expect(fp('s3cret')).toBe(fp('s3cret'));
    expect(fp('s3cret')).not.toBe(fp('s3cret2'));
    expect(createRedactor('other-key').fingerprint('s3cret')).not.toBe(fp('s3cret'));
    expect(createRedactor(Buffer.from('test-key')).fingerprint('s3cret')).toBe(fp('s3cret'));
    expect(isFingerprint(fp('x'))).toBe(true);
    expect(isFingerprint('redacted:hmac-sha256:XYZ')).toBe(false);
  });
});

describe('keyId', () => {
  it('names the key in 12 hex, differs between keys, and is no fingerprint of a guessable secret', () => {
    expect(redactor.keyId).toMatch(/^[0-9a-f]{12}$/);
    expect(createRedactor(Buffer.from('test-key')).keyId).toBe(redactor.keyId);
    expect(createRedactor('other-key').keyId).not.toBe(redactor.keyId);
    expect(fp('test-key')).not.toContain(redactor.keyId);
  });
});

describe('isSecretName', () => {
  it.each([
    ['secret', true], ['client_secret', true], ['Client-Secret', true], ['clientSecret', true], ['password', true], ['PASSWORD', true],
    ['token', true], ['access_token', true], ['refresh-token', true], ['private_key', true], ['privateKey', true], ['api_key', true], ['API-KEY', true],
    ['name', false], ['type', false], ['key', false], ['client_id', false], ['enterprise_id', false], ['value', false],
  ])('%j → %j', (name, secret) => expect(isSecretName(name)).toBe(secret));
});

describe('redactJson', () => {
  it.each([
    ['a secret-typed entry', { name: 'Client Secret', type: 'secret', value: 'abc' }, { name: 'Client Secret', type: 'secret', value: fp('abc') }],
    ['type in any case', { type: 'SECRET', value: 'abc' }, { type: 'SECRET', value: fp('abc') }],
    ['a public entry', { key: 'client_id', type: 'public', value: 'id1' }, { key: 'client_id', type: 'public', value: 'id1' }],
    ['an entry named like a secret', { key: 'client_secret', type: 'public', value: 'abc' }, { key: 'client_secret', type: 'public', value: fp('abc') }],
    ['a secret-named key', { password: 'hunter2', user: 'bob' }, { password: fp('hunter2'), user: 'bob' }],
    ['nested and in arrays', [{ auth: { api_key: 'k1' } }], [{ auth: { api_key: fp('k1') } }]],
    ['a non-string secret over canonical JSON', { token: { b: 1, a: 2 } }, { token: fp('{"a":2,"b":1}') }],
    ['a number secret', { secret: 42 }, { secret: fp('42') }],
    ['empty values stay', { password: '', token: null, type: 'secret', value: '' }, { password: '', token: null, type: 'secret', value: '' }],
    ['a fingerprint stays', { password: fp('x') }, { password: fp('x') }],
  ])('%s', (_, input, expected) => expect(redactor.redactJson(input)).toEqual(expected));

  it('is idempotent and leaves the input alone', () => {
    const input = { metadata: [{ type: 'secret', value: 'v' }], password: 'p' };
    const once = redactor.redactJson(input);
    expect(redactor.redactJson(once)).toEqual(once);
    expect(input.password).toBe('p');
  });
});
