import type Database from 'better-sqlite3';
import type { SessionRow } from './rows';
export type { SessionRow } from './rows';

/** Session tokens are stored only as SHA-256 hashes: a stolen database holds no usable token. */
export class SessionStore {
  private readonly insert;
  private readonly byHash;
  private readonly byId;
  private readonly touchStmt;
  private readonly removeOne;
  private readonly removeOthers;
  private readonly removeExpired;

  constructor(db: Database.Database) {
    this.insert = db.prepare(
      'INSERT INTO sessions (user_id, token_hash, created_at, last_used_at) SELECT id, ?, ?, ? FROM users WHERE id = ? AND password_hash = ?',
    );
    this.byHash = db.prepare<[string], SessionRow>(
      'SELECT id, user_id, created_at, last_used_at FROM sessions WHERE token_hash = ?',
    );
    this.byId = db.prepare<[number], SessionRow>('SELECT id, user_id, created_at, last_used_at FROM sessions WHERE id = ?');
    this.touchStmt = db.prepare('UPDATE sessions SET last_used_at = ? WHERE id = ?');
    this.removeOne = db.prepare('DELETE FROM sessions WHERE id = ?');
    this.removeOthers = db.prepare('DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?');
    this.removeExpired = db.prepare('DELETE FROM sessions WHERE last_used_at < ? OR created_at < ?');
  }

  /** Only while the user still has `passwordHash` (undefined otherwise): see SessionRepository.create. */
  create(userId: number, tokenHash: string, now: number, passwordHash: string): number | undefined {
    const { changes, lastInsertRowid } = this.insert.run(tokenHash, now, now, userId, passwordHash);
    return changes === 1 ? Number(lastInsertRowid) : undefined;
  }

  find(tokenHash: string): SessionRow | undefined {
    return this.byHash.get(tokenHash);
  }

  findById(id: number): SessionRow | undefined {
    return this.byId.get(id);
  }

  touch(id: number, now: number): void {
    this.touchStmt.run(now, id);
  }

  delete(id: number): void {
    this.removeOne.run(id);
  }

  /** Revokes every session of the user except `keepId` (null revokes them all). */
  deleteOthers(userId: number, keepId: number | null): void {
    this.removeOthers.run(userId, keepId);
  }

  deleteExpired(idleBefore: number, createdBefore: number): void {
    this.removeExpired.run(idleBefore, createdBefore);
  }
}
