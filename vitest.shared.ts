import { defineConfig } from 'vitest/config';

/**
 * Every package's vitest config starts from this one. The `@balkan-audit/source` export condition
 * makes workspace imports resolve to `src/index.ts`, so tests never need a build first.
 */
export const sourceCondition = '@balkan-audit/source';

export default defineConfig({
  resolve: { conditions: [sourceCondition, 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: [sourceCondition, 'module', 'node', 'import', 'default'], externalConditions: [sourceCondition] } },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
