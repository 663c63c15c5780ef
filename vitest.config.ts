import { defineConfig } from 'vitest/config';

/**
 * The server tests that hold for any backend: run once on SQLite (the "default" project, with
 * every other test) and again on PostgreSQL ("postgres", ANNUAIRE_TEST_BACKEND=postgres: each
 * test server on a database of its own). A behaviour that differs between backends is a bug.
 * Tests of what is SQLite's own (its files, migrations, disk, crash recovery) run only once.
 */
export const CONTRACT_FILES = [
  'accounts',
  'authorization',
  'concurrency',
  'contacts',
  'control-characters',
  'limits',
  'live-changes',
  'phone-region',
  'query-words',
  'quota',
  'revocation',
  'search',
  'sort-order',
  'transfer',
  'transfer-export',
  'transfer-shapes',
  'usernames',
  'wire',
].map((name) => `packages/server/test/${name}.test.ts`);

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers; keep the two-core machines responsive.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'default', include: ['packages/*/src/**/*.test.{ts,tsx}', 'packages/*/test/**/*.test.{ts,tsx}'] },
      },
      {
        extends: true,
        test: { name: 'postgres', include: CONTRACT_FILES, env: { ANNUAIRE_TEST_BACKEND: 'postgres' } },
      },
    ],
  },
});
