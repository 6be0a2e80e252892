import { describe, expect, it } from 'vitest';
import { checkMassDelete } from './guards.js';

describe('checkMassDelete', () => {
  it.each([
    { before: 0, after: 5, removed: 0, guarded: false, why: 'a first fill' },
    { before: 10, after: 0, removed: 10, guarded: true, why: 'ten rows to zero' },
    { before: 3, after: 0, removed: 3, guarded: true, why: 'a small table emptied still loses more than half' },
    { before: 100, after: 50, removed: 50, guarded: false, why: 'exactly half is allowed' },
    { before: 100, after: 49, removed: 51, guarded: true, why: 'more than half' },
    { before: 100, after: 120, removed: 60, guarded: true, why: 'most rows replaced by new IDs' },
    { before: 100, after: 99, removed: 1, guarded: false, why: 'an ordinary night' },
    { before: 1, after: 0, removed: 1, guarded: true, why: 'the only row gone' },
  ])('$why: $before → $after rows (−$removed) guarded=$guarded', ({ before, after, removed, guarded }) => {
    const verdict = checkMassDelete('integrations', before, after, removed);
    expect(verdict !== null).toBe(guarded);
    if (verdict) {
      expect(verdict.code).toBe('SNAPSHOT_MASS_DELETE');
      expect(verdict.message).toContain('--allow-mass-delete');
    }
  });
});
