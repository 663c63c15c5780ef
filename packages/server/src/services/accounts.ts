import { AppError, invalidParam } from '../errors';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords';
import { hashToken, newSessionToken } from '../auth/tokens';
import type { SessionStore } from '../store/sessions';
import type { UserRow, UserStore } from '../store/users';
import type { ContactStore } from '../store/contacts';
import type { AuthSession } from './session';
import { isUniqueViolation } from '../store/sqlite';
import type { LoginThrottle } from '../auth/throttle';
import type { WindowLimiter } from '../auth/rate-limit';
import { legacyUsernameKey, usernameKey } from '../auth/username';

export interface SessionPolicy {
  /** A session unused this long is gone. */
  idleMs: number;
  /** A session older than this is gone, used or not. */
  absoluteMs: number;
}

export class AccountService {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly contacts: ContactStore,
    private readonly policy: SessionPolicy,
    private readonly throttle: LoginThrottle,
    private readonly creations: WindowLimiter,
    /** Told when sessions are revoked, so that connections using them are logged out too. */
    private readonly onRevoke: (userId: number, keepSessionId: number | null) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  async createAccount(username: string, password: string, address: string): Promise<UserRow> {
    const wait = this.creations.take(address);
    if (wait > 0) throw new AppError('rate_limited', { retryAfterMs: wait });
    const display = username.normalize('NFC');
    const passwordHash = await hashPassword(password);
    try {
      return this.users.create(display, usernameKey(display), passwordHash, new Date(this.now()).toISOString());
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppError('username_taken');
      throw err;
    }
  }

  /** Checks the password and opens a session. Unknown user and wrong password fail alike, in the same time. */
  async login(username: string, password: string, address: string): Promise<{ session: AuthSession; token: string }> {
    const key = usernameKey(username);
    // Checked before the password: a correct password does not lift an active lock.
    const wait = this.throttle.retryAfter(key, address);
    if (wait > 0) throw new AppError('too_many_attempts', { retryAfterMs: wait });
    // An account that shared its key with an older look-alike before migration 6 logs in by its own name.
    const user = this.users.findByKey(legacyUsernameKey(username)) ?? this.users.findByKey(key);
    const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) {
      this.throttle.recordFailure(key, address);
      throw new AppError('invalid_credentials');
    }
    this.throttle.recordSuccess(key, address);
    return this.openSession(user);
  }

  /** Resumes a session on a new connection; an unknown or expired token fails like a wrong password. */
  resume(token: string): { session: AuthSession; token: string } {
    const now = this.now();
    const row = this.sessions.find(hashToken(token));
    if (!row || this.isExpired(row, now)) {
      if (row) this.sessions.delete(row.id);
      throw new AppError('invalid_credentials');
    }
    const user = this.users.findById(row.user_id);
    if (!user) throw new AppError('invalid_credentials');
    this.sessions.touch(row.id, now);
    return { session: toSession(user, row.id), token };
  }

  logout(session: AuthSession): void {
    this.sessions.delete(session.sessionId);
  }

  whoami(session: AuthSession): { username: string; created_at: string; contact_count: number } {
    const user = this.users.findById(session.userId);
    if (!user) throw new AppError('not_authenticated');
    return { username: user.username, created_at: user.created_at, contact_count: this.users.contactCount(user.annuaire_id) };
  }

  /** Changes the password and revokes every other session of the user. */
  async changePassword(session: AuthSession, oldPassword: string, newPassword: string): Promise<void> {
    const user = await this.checkPassword(session, oldPassword);
    if (oldPassword === newPassword) throw invalidParam('new_password', 'same_password');
    this.users.setPasswordHash(user.id, await hashPassword(newPassword));
    this.sessions.deleteOthers(user.id, session.sessionId);
    this.onRevoke(user.id, session.sessionId);
  }

  /** Deletes the user, their annuaire, every contact and every session, for good. */
  async deleteAccount(session: AuthSession, password: string): Promise<number> {
    const user = await this.checkPassword(session, password);
    const count = this.users.contactCount(user.annuaire_id);
    this.users.transaction(() => {
      this.contacts.deleteSearchIndexOf(user.annuaire_id);
      this.users.delete(user.id);
    });
    this.onRevoke(user.id, null);
    return count;
  }

  private async checkPassword(session: AuthSession, password: string): Promise<UserRow> {
    const user = this.users.findById(session.userId);
    if (!user) throw new AppError('not_authenticated');
    if (!(await verifyPassword(user.password_hash, password))) throw new AppError('invalid_credentials');
    return user;
  }

  private openSession(user: UserRow): { session: AuthSession; token: string } {
    const now = this.now();
    this.sessions.deleteExpired(now - this.policy.idleMs, now - this.policy.absoluteMs);
    const token = newSessionToken();
    const sessionId = this.sessions.create(user.id, hashToken(token), now);
    return { session: toSession(user, sessionId), token };
  }

  private isExpired(row: { created_at: number; last_used_at: number }, now: number): boolean {
    return now - row.last_used_at > this.policy.idleMs || now - row.created_at > this.policy.absoluteMs;
  }
}

function toSession(user: UserRow, sessionId: number): AuthSession {
  return { userId: user.id, username: user.username, annuaireId: user.annuaire_id, sessionId };
}
