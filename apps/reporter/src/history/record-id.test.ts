import { describe, expect, it } from 'vitest';
import { formatKey, getSchema } from '@balkan-audit/schema';
import { keyOfId } from './record-id.js';

describe('keyOfId', () => {
  it.each([
    ['integrations', '4', '4'],
    ['integrations', 'a/b', 'a/b'],
    ['apps', '01TENANT/zoom', '01TENANT\u001fzoom'],
    ['admins', 'x y', 'x y'],
  ])('%s %s', (resource, id, key) => {
    expect(keyOfId(getSchema(resource), id)).toBe(key);
    expect(formatKey(key)).toBe(id);
  });

  it.each([['apps', 'zoom'], ['apps', '01T/a/b'], ['apps', '01T/'], ['integrations', '']])('refuses %s %j', (resource, id) => {
    expect(() => keyOfId(getSchema(resource), id)).toThrow(expect.objectContaining({ code: 'HISTORY_BAD_ID' }));
  });
});
