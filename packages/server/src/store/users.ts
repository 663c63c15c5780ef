import type Database from 'better-sqlite3';
import type { UserRow } from './rows';
export type { UserRow } from './rows';

export class UserStore {
  private readonly byKey;
  private readonly byId;
  private readonly insertUser;
  private readonly insertAnnuaire;
  private readonly setHash;
  private readonly remove;
  private readonly countContacts;

  constructor(private readonly db: Database.Database) {
    const select = `SELECT u.id, u.username, u.password_hash, u.created_at, a.id AS annuaire_id
                    FROM users u JOIN annuaires a ON a.user_id = u.id`;
    this.byKey = db.prepare<[string], UserRow>(`${select} WHERE u.username_key = ?`);
    this.byId = db.prepare<[number], UserRow>(`${select} WHERE u.id = ?`);
    this.insertUser = db.prepare(
      'INSERT INTO users (username, username_key, password_hash, created_at) VALUES (?, ?, ?, ?)',
    );
    this.insertAnnuaire = db.prepare('INSERT INTO annuaires (user_id, name, created_at) VALUES (?, ?, ?)');
    this.setHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
    this.remove = db.prepare('DELETE FROM users WHERE id = ?');
    this.countContacts = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM contacts WHERE annuaire_id = ?');
  }

  findByKey(usernameKey: string): UserRow | undefined {
    return this.byKey.get(usernameKey);
  }

  findById(id: number): UserRow | undefined {
    return this.byId.get(id);
  }

  /**
   * Creates the user and their annuaire in one transaction. Throws SqliteError
   * SQLITE_CONSTRAINT_UNIQUE when the username key is taken.
   */
  create(username: string, usernameKey: string, passwordHash: string, now: string): UserRow {
    return this.db.transaction(() => {
      const userId = Number(this.insertUser.run(username, usernameKey, passwordHash, now).lastInsertRowid);
      const annuaireId = Number(this.insertAnnuaire.run(userId, `annuaire de ${username}`, now).lastInsertRowid);
      return { id: userId, username, password_hash: passwordHash, created_at: now, annuaire_id: annuaireId };
    })();
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  setPasswordHash(userId: number, hash: string): void {
    this.setHash.run(hash, userId);
  }

  contactCount(annuaireId: number): number {
    return this.countContacts.get(annuaireId)?.n ?? 0;
  }

  /** Deletes the user; their annuaire, contacts and sessions go by cascade (see ContactStore for the index). */
  delete(userId: number): void {
    this.remove.run(userId);
  }
}
