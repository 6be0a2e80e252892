import { describe, expect, it } from 'vitest';
import { parseSince } from './since.js';

describe('parseSince', () => {
  it.each([
    ['2026-01-01', { date: '2026-01-01T00:00:00.000Z' }],
    ['2026-06-30T12:00:00+02:00', { date: '2026-06-30T10:00:00.000Z' }],
    ['2026-06-30T12:00:00Z', { date: '2026-06-30T12:00:00.000Z' }],
    ['HEAD~10', { ref: 'HEAD~10' }],
    ['v2026.01', { ref: 'v2026.01' }],
    ['3f1c2a9b', { ref: '3f1c2a9b' }],
  ])('%s', (value, since) => {
    expect(parseSince(value)).toEqual(since);
  });

  it.each(['2026-02-30', '2026-13-01', '2026-01-01Tnoon', ' '])('refuses %j', (value) => {
    expect(() => parseSince(value)).toThrow(expect.objectContaining({ code: 'CLI_INVALID_OPTION' }));
  });
});
