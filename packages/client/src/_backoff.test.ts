import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retryDelay } from './_backoff.js';

describe('backoffDelay', () => {
  it.each([
    // attempt, base, cap, random, expected
    [0, 500, 15_000, 0.999_999, 499],
    [0, 500, 15_000, 0, 0],
    [1, 500, 15_000, 0.5, 500],
    [3, 500, 15_000, 0.5, 2_000],
    [5, 500, 15_000, 0.5, 7_500],
    [6, 500, 15_000, 0.5, 7_500],
    [60, 500, 15_000, 1, 15_000],
    [2, 0, 15_000, 0.7, 0],
  ])('attempt %i, base %i, cap %i, random %f → %i ms', (attempt, base, cap, random, expected) => {
    expect(backoffDelay(attempt, base, cap, () => random)).toBe(expected);
  });

  it('clamps a random source that leaves [0, 1]', () => {
    expect(backoffDelay(0, 100, 1_000, () => 7)).toBe(100);
    expect(backoffDelay(0, 100, 1_000, () => -1)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    [null, null],
    ['', null],
    ['0', 0],
    ['3', 3_000],
    [' 12 ', 12_000],
    ['1.5', null],
    ['-1', null],
    ['soon', null],
    ['Wed, 01 Jan 2025 00:00:05 GMT', 5_000],
    ['Tue, 31 Dec 2024 23:59:00 GMT', 0],
  ])('%j → %j', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });
});

describe('retryDelay', () => {
  const base = { base: 100, cap: 1_000, maxRetryAfterMs: 5_000, random: () => 0.5 };
  it.each([
    [0, null, 50],
    [2, null, 200],
    [2, 3_000, 3_000],
    [2, 0, 0],
    [0, 90_000, 5_000],
  ])('attempt %i with Retry-After %j → %i ms', (attempt, retryAfterMs, expected) => {
    expect(retryDelay({ ...base, attempt, retryAfterMs })).toBe(expected);
  });
});
