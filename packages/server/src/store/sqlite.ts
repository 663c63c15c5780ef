import type BetterSqlite3 from 'better-sqlite3';
import { createRequire } from 'node:module';

/**
 * better-sqlite3, in the major version that suits this Node:
 * - 12 on Node 20: 13 needs N-API 10 and segfaults there;
 * - 13 on Node ≥ 22: 12's Statement destructor aborts Node 24 when the garbage collector
 *   runs it outside a context ("Assertion failed: (env) != nullptr", seen in our tests).
 * 13 is an optional dependency under the alias better-sqlite3-node22, which pnpm skips
 * on Node 20 (its engines field asks for 22). Both share the API and the types.
 */
const require = createRequire(import.meta.url);

function modulePath(): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    try {
      return require.resolve('better-sqlite3-node22');
    } catch {
      // Not installed (e.g. node_modules made by Node 20): fall back to 12.
    }
  }
  return require.resolve('better-sqlite3');
}

/** Where the module is, for worker threads that open connections of their own. */
export const SQLITE_MODULE_PATH = modulePath();
export const Sqlite = require(SQLITE_MODULE_PATH) as typeof BetterSqlite3;
export type SqliteDatabase = BetterSqlite3.Database;

/** A unique-constraint violation, whichever module raised it (their error classes differ). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
