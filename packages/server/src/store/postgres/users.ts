import type pg from 'pg';
import { UsernameTaken, type UserRepository } from '../backend';
import type { UserRow } from '../rows';
import { prepared, query, withTransaction } from './pool';
import type { PgSearchIndex } from './search';

const SELECT_USER = `SELECT u.id, u.username, u.password_hash, u.created_at, a.id AS annuaire_id
                     FROM users u JOIN annuaires a ON a.user_id = u.id`;

/** Accounts on PostgreSQL (store/users.ts on SQLite). */
export class PgUsers implements UserRepository {
  constructor(
    private readonly pool: pg.Pool,
    private readonly searchIndex: PgSearchIndex,
  ) {}

  async findByKey(usernameKey: string): Promise<UserRow | undefined> {
    return (await query<UserRow>(this.pool, `${SELECT_USER} WHERE u.username_key = $1`, [usernameKey]))[0];
  }

  async findById(id: number): Promise<UserRow | undefined> {
    return (await query<UserRow>(this.pool, `${SELECT_USER} WHERE u.id = $1`, [id]))[0];
  }

  async create(username: string, usernameKey: string, passwordHash: string, now: string): Promise<UserRow> {
    try {
      return await withTransaction(this.pool, async (tx) => {
        const user = await tx.query<{ id: number }>(
          prepared('INSERT INTO users (username, username_key, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id', [username, usernameKey, passwordHash, now]),
        );
        const userId = user.rows[0]!.id;
        const annuaire = await tx.query<{ id: number }>(prepared('INSERT INTO annuaires (user_id, name, created_at) VALUES ($1, $2, $3) RETURNING id', [userId, `annuaire de ${username}`, now]));
        return { id: userId, username, password_hash: passwordHash, created_at: now, annuaire_id: annuaire.rows[0]!.id };
      });
    } catch (err) {
      if (isUsernameKeyViolation(err)) throw new UsernameTaken();
      throw err;
    }
  }

  async setPasswordHash(userId: number, hash: string): Promise<void> {
    await query(this.pool, 'UPDATE users SET password_hash = $1 WHERE id = $2', [hash, userId]);
  }

  async contactCount(annuaireId: number): Promise<number> {
    const rows = await query<{ n: number }>(this.pool, 'SELECT count(*) AS n FROM contacts WHERE annuaire_id = $1', [annuaireId]);
    return rows[0]?.n ?? 0;
  }

  /** The annuaire, contacts, sources, sessions and journal go by cascade; the search entries here. */
  async delete(userId: number): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      // The annuaire's row first, as every contact write takes it: no deadlock with a write in flight.
      const { rows } = await tx.query<{ id: number }>(prepared('SELECT id FROM annuaires WHERE user_id = $1 FOR UPDATE', [userId]));
      for (const { id } of rows) await this.searchIndex.removeAnnuaire(tx, id);
      await tx.query(prepared('DELETE FROM users WHERE id = $1', [userId]));
    });
  }
}

/** unique_violation on users.username_key (PostgreSQL names the constraint users_username_key_key). */
function isUsernameKeyViolation(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && typeof e.constraint === 'string' && e.constraint.startsWith('users_username_key');
}
