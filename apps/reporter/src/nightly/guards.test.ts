import { describe, expect, it } from 'vitest';
import { checkMassDelete } from './guards.js';

describe('checkMassDelete', () => {
  it.each([
    { before: 0, after: 5, removed: 0, guarded: false, why: 'a first fill' },
    { before: 0, after: 0, removed: 0, guarded: false, why: 'an empty table staying empty' },
    { before: 1, after: 0, removed: 1, guarded: true, why: 'the only row gone (a header-only export looks the same)' },
    { before: 2, after: 0, removed: 2, guarded: true, why: 'a two-row table emptied' },
    { before: 2, after: 1, removed: 1, guarded: false, why: 'one of two rows: exactly half' },
    { before: 3, after: 1, removed: 2, guarded: true, why: 'two of three rows' },
    { before: 3, after: 2, removed: 1, guarded: false, why: 'one of three rows' },
    { before: 10, after: 0, removed: 10, guarded: true, why: 'ten rows to zero' },
    { before: 100, after: 50, removed: 50, guarded: false, why: 'exactly half is allowed' },
    { before: 100, after: 49, removed: 51, guarded: true, why: 'more than half' },
    { before: 100, after: 120, removed: 60, guarded: true, why: 'most rows replaced by new IDs' },
    { before: 100, after: 99, removed: 1, guarded: false, why: 'an ordinary night' },
  ])('$why: $before → $after rows (−$removed) guarded=$guarded', ({ before, after, removed, guarded }) => {
    const verdict = checkMassDelete('integrations', before, after, removed);
    expect(verdict !== null).toBe(guarded);
    if (verdict) {
      expect(verdict.code).toBe('SNAPSHOT_MASS_DELETE');
      expect(verdict.message).toContain('--allow-mass-delete');
      expect(verdict.message).toContain(after === 0 ? `dropped from ${before} rows to 0` : `lost ${removed} of ${before} rows`);
    }
  });
});
