import { describe, expect, it } from 'vitest';
import { resolveAuthor } from './author.js';

describe('resolveAuthor', () => {
  it.each([
    [{ BALKAN_AUDIT_AUTHOR_NAME: 'Bot', BALKAN_AUDIT_AUTHOR_EMAIL: 'bot@x' }, { name: 'Cfg', email: 'cfg@x' }, { name: 'Bot', email: 'bot@x' }],
    [{}, { name: 'Cfg', email: 'cfg@x' }, { name: 'Cfg', email: 'cfg@x' }],
    [{ BALKAN_AUDIT_AUTHOR_NAME: 'Bot' }, { email: 'cfg@x' }, { name: 'Bot', email: 'cfg@x' }],
    [{ BALKAN_AUDIT_AUTHOR_NAME: '  ' }, {}, { name: 'balkan-audit', email: 'balkan-audit@localhost' }],
    [{}, undefined, { name: 'balkan-audit', email: 'balkan-audit@localhost' }],
  ])('env %j + config %j → %j', (env, config, expected) => {
    expect(resolveAuthor(env, config)).toEqual(expected);
  });
});
