import type pg from 'pg';
import type { LimitRepository, ThrottleEntry } from '../backend';
import { prepared, query, withTransaction } from './pool';

/** Idle entries a failure forgets on its way (keeps the tables bounded under a flood of keys). */
const PRUNE_ROWS = 100;
/** Rate events older than this go whatever their key's window (every window today is shorter). */
const RATE_EVENTS_KEPT_MS = 24 * 3600_000;

/**
 * The password-check throttle's failures and the account-creation windows, in the database,
 * so that every node shares them and a restart forgets nothing (auth/throttle.ts and
 * auth/rate-limit.ts keep them in memory for one process).
 */
export class PgLimits implements LimitRepository {
  constructor(private readonly pool: pg.Pool) {}

  async throttleEntries(keys: string[]): Promise<Map<string, ThrottleEntry>> {
    if (keys.length === 0) return new Map();
    const rows = await query<{ key: string; failures: number; locked_until: number; last_failure: number }>(
      this.pool,
      'SELECT key, failures, locked_until, last_failure FROM throttle WHERE key = ANY($1::text[])',
      [keys],
    );
    return new Map(rows.map((r) => [r.key, { failures: r.failures, lockedUntil: r.locked_until, lastFailure: r.last_failure }]));
  }

  /**
   * Each key's failure is one upsert (its row stays locked to the end of the transaction, so
   * concurrent failures are counted one after the other); an entry idle longer than
   * `forgetAfterMs` starts again from 1, as in LoginThrottle. The lock length then comes from
   * `lockFor` on the new count. Keys in sorted order: two nodes never lock them crosswise.
   */
  async recordFailures(keys: string[], now: number, lockFor: (failures: number) => number, forgetAfterMs: number): Promise<void> {
    if (keys.length === 0) return;
    await withTransaction(this.pool, async (tx) => {
      for (const key of [...new Set(keys)].sort()) {
        const { rows } = await tx.query<{ failures: number }>(
          prepared(
            `INSERT INTO throttle AS t (key, failures, locked_until, last_failure) VALUES ($1, 1, 0, $2)
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN t.locked_until <= $2 AND $2 - t.last_failure > $3 THEN 1 ELSE t.failures + 1 END,
             last_failure = $2
           RETURNING failures`,
            [key, now, forgetAfterMs],
          ),
        );
        const lockMs = lockFor(rows[0]!.failures);
        if (lockMs > 0) {
          await tx.query(prepared('UPDATE throttle SET locked_until = greatest(locked_until, $2::bigint) WHERE key = $1', [key, now + lockMs]));
        }
      }
      await tx.query(
        prepared(
          `DELETE FROM throttle WHERE key IN (
           SELECT key FROM throttle WHERE last_failure < $1 AND locked_until <= $2 AND NOT (key = ANY($3::text[]))
           LIMIT ${PRUNE_ROWS} FOR UPDATE SKIP LOCKED)`,
          [now - forgetAfterMs, now, keys],
        ),
      );
    });
  }

  async clear(key: string): Promise<void> {
    await query(this.pool, 'DELETE FROM throttle WHERE key = $1', [key]);
  }

  /**
   * Under a transaction-scoped advisory lock on the key, so that callers on every node take
   * turns: count the key's events in the window, and record one if there is room.
   */
  async takeWindow(key: string, limit: number, windowMs: number, now: number): Promise<number> {
    return withTransaction(this.pool, async (tx) => {
      await tx.query(prepared('SELECT pg_advisory_xact_lock(hashtext($1))', [key]));
      await tx.query(prepared('DELETE FROM rate_events WHERE key = $1 AND at <= $2', [key, now - windowMs]));
      const { rows } = await tx.query<{ n: number; oldest: number | null }>(prepared('SELECT count(*) AS n, min(at) AS oldest FROM rate_events WHERE key = $1', [key]));
      const { n, oldest } = rows[0]!;
      if (n >= limit) return Math.max(1, windowMs - (now - (oldest ?? now)));
      await tx.query(prepared('INSERT INTO rate_events (key, at) VALUES ($1, $2)', [key, now]));
      // Other keys' stale events, a few at a time: addresses that never come back leave nothing.
      await tx.query(
        prepared(`DELETE FROM rate_events WHERE ctid IN (SELECT ctid FROM rate_events WHERE at <= $1 LIMIT ${PRUNE_ROWS} FOR UPDATE SKIP LOCKED)`, [now - Math.max(windowMs, RATE_EVENTS_KEPT_MS)]),
      );
      return 0;
    });
  }
}
