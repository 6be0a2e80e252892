import type { GitPerson } from './types.js';

/** The author used when none is configured anywhere. */
export const defaultAuthorIdentity: GitPerson = { name: 'balkan-audit', email: 'balkan-audit@localhost' };

/**
 * The commit author: `BALKAN_AUDIT_AUTHOR_NAME` / `BALKAN_AUDIT_AUTHOR_EMAIL`, else the repository's
 * `user.name` / `user.email`, else `balkan-audit <balkan-audit@localhost>`. Name and email are
 * resolved independently, so an env name can pair with a configured email.
 */
export function resolveAuthor(env: NodeJS.ProcessEnv, config: { readonly name?: string | undefined; readonly email?: string | undefined } = {}): GitPerson {
  return {
    name: firstNonBlank(env['BALKAN_AUDIT_AUTHOR_NAME'], config.name) ?? defaultAuthorIdentity.name,
    email: firstNonBlank(env['BALKAN_AUDIT_AUTHOR_EMAIL'], config.email) ?? defaultAuthorIdentity.email,
  };
}

function firstNonBlank(...values: (string | undefined)[]): string | undefined {
  return values.map((v) => v?.trim()).find((v): v is string => v !== undefined && v !== '');
}
