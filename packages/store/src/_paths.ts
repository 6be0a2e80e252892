import { StoreError } from './errors.js';

/** A resource name becomes a file name; keep it to one safe path segment. */
export function resourceFile(resource: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(resource) || resource.includes('..') || resource === 'manifest') {
    throw new StoreError('STORE_BAD_INPUT', `resource name "${resource.slice(0, 80)}" is not a safe file name (expected letters, digits, ".", "_", "-"; not "manifest")`, {
      data: { resource },
    });
  }
  return `${resource}.csv`;
}

export const manifestFile = 'manifest.json';

/** `./a/b/` → `a/b`; refuses absolute paths, `..` and the repository root itself. */
export function normaliseSnapshotDir(value: string): string {
  const segments = value.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value) || segments.length === 0 || segments.some((s) => s === '..' || s === '.git')) {
    throw new StoreError('STORE_BAD_INPUT', `snapshotDir "${value.slice(0, 80)}" must be a relative directory inside the repository (not its root, no "..", not .git)`, {
      data: { snapshotDir: value },
    });
  }
  return segments.join('/');
}
