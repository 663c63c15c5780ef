import type pg from 'pg';
import type { SessionRepository } from '../backend';
import type { SessionRow } from '../rows';
import { query } from './pool';

const SESSION_COLUMNS = 'id, user_id, created_at, last_used_at';

/** Sessions on PostgreSQL (store/sessions.ts): tokens stored only as SHA-256 hashes. */
export class PgSessions implements SessionRepository {
  constructor(private readonly pool: pg.Pool) {}

  async create(userId: number, tokenHash: string, now: number, passwordHash: string): Promise<number | undefined> {
    // FOR SHARE: a password change (or deletion) of this user waits for this insert to commit, and
    // then revokes it; one that committed first makes the hash differ, and nothing is inserted.
    const rows = await query<{ id: number }>(
      this.pool,
      `INSERT INTO sessions (user_id, token_hash, created_at, last_used_at)
       SELECT u.id, $2, $3, $3 FROM (SELECT id FROM users WHERE id = $1 AND password_hash = $4 FOR SHARE) u
       RETURNING id`,
      [userId, tokenHash, now, passwordHash],
    );
    return rows[0]?.id;
  }

  async find(tokenHash: string): Promise<SessionRow | undefined> {
    return (await query<SessionRow>(this.pool, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = $1`, [tokenHash]))[0];
  }

  async findById(id: number): Promise<SessionRow | undefined> {
    return (await query<SessionRow>(this.pool, `SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`, [id]))[0];
  }

  async touch(id: number, now: number): Promise<void> {
    await query(this.pool, 'UPDATE sessions SET last_used_at = $1 WHERE id = $2', [now, id]);
  }

  async delete(id: number): Promise<void> {
    await query(this.pool, 'DELETE FROM sessions WHERE id = $1', [id]);
  }

  async deleteOthers(userId: number, keepId: number | null): Promise<void> {
    await query(this.pool, 'DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2::bigint', [userId, keepId]);
  }

  async deleteExpired(idleBefore: number, createdBefore: number): Promise<void> {
    await query(this.pool, 'DELETE FROM sessions WHERE last_used_at < $1 OR created_at < $2', [idleBefore, createdBefore]);
  }
}
