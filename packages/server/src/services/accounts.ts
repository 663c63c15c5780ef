import { AppError, invalidParam } from '../errors';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords';
import { hashToken, newSessionToken } from '../auth/tokens';
import type { SessionStore } from '../store/sessions';
import type { UserRow, UserStore } from '../store/users';
import type { ContactStore } from '../store/contacts';
import type { AuthSession } from './session';
import { isUniqueViolation } from '../store/sqlite';
import type { LoginThrottle } from '../auth/throttle';
import type { WindowLimiter } from './window-limiter';
import { legacyUsernameKey, usernameKey } from '../auth/username';
import type { SessionEndReason } from '@annuaire/protocol';

/**
 * Sessions just revoked: every one of `userId` but `keepSessionId`, or only `sessionId`.
 * `origin` is the request that did it (it learns so from its reply, not from an event).
 */
export interface Revocation {
  userId: number;
  reason: SessionEndReason;
  keepSessionId?: number | null;
  sessionId?: number;
  origin?: object;
}

export interface SessionPolicy {
  /** A session unused this long is gone. */
  idleMs: number;
  /** A session older than this is gone, used or not. */
  absoluteMs: number;
}

/** How stale a session's last use may be written: idle expiry is counted in days, not seconds. */
const SESSION_TOUCH_MS = 60_000;

export class AccountService {
  constructor(
    private readonly users: UserStore,
    private readonly sessions: SessionStore,
    private readonly contacts: ContactStore,
    private readonly policy: SessionPolicy,
    private readonly throttle: LoginThrottle,
    private readonly creations: WindowLimiter,
    /** Told when sessions are revoked, so that connections using them are logged out too. */
    private readonly onRevoke: (revocation: Revocation) => void = () => {},
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
    // An account that shared its key with an older look-alike before migration 7 logs in by its own name.
    const user = await this.verify(usernameKey(username), password, address, () => this.users.findByKey(legacyUsernameKey(username)) ?? this.users.findByKey(usernameKey(username)));
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

  /**
   * Whether a connection's session still stands: it may have been revoked (logout on
   * another connection, password changed, account deleted, on any server process sharing
   * the database) or have expired since the connection logged in. Checked on every
   * private request, so a revoked session stops working at once, wherever it is open.
   */
  isLive(session: AuthSession): boolean {
    const now = this.now();
    const row = this.sessions.findById(session.sessionId);
    if (!row || row.user_id !== session.userId || this.isExpired(row, now)) return false;
    // Not a write for every request: once a minute (or a tenth of the idle limit, if shorter).
    if (now - row.last_used_at > Math.min(SESSION_TOUCH_MS, this.policy.idleMs / 10)) this.sessions.touch(row.id, now);
    return true;
  }

  /**
   * Whether a connection's session has ended since it logged in, and why; unlike isLive,
   * does not count as a use (for the server's periodic sweep, which must not keep it alive).
   */
  endReason(session: AuthSession): SessionEndReason | null {
    const row = this.sessions.findById(session.sessionId);
    if (!row || row.user_id !== session.userId) return this.users.findById(session.userId) ? 'logged_out_elsewhere' : 'account_deleted';
    return this.isExpired(row, this.now()) ? 'expired' : null;
  }

  logout(session: AuthSession, origin?: object): void {
    this.sessions.delete(session.sessionId);
    // The same session may be open on other connections (a token resumed in another terminal).
    this.onRevoke({ userId: session.userId, sessionId: session.sessionId, reason: 'logged_out_elsewhere', origin });
  }

  whoami(session: AuthSession): { username: string; created_at: string; contact_count: number } {
    const user = this.users.findById(session.userId);
    if (!user) throw new AppError('not_authenticated');
    return { username: user.username, created_at: user.created_at, contact_count: this.users.contactCount(user.annuaire_id) };
  }

  /** Changes the password and revokes every other session of the user. */
  async changePassword(session: AuthSession, oldPassword: string, newPassword: string, address: string, origin?: object): Promise<void> {
    const user = await this.checkPassword(session, oldPassword, address);
    if (oldPassword === newPassword) throw invalidParam('new_password', 'same_password');
    this.users.setPasswordHash(user.id, await hashPassword(newPassword));
    this.sessions.deleteOthers(user.id, session.sessionId);
    this.onRevoke({ userId: user.id, keepSessionId: session.sessionId, reason: 'password_changed', origin });
  }

  /** Deletes the user, their annuaire, every contact and every session, for good. */
  async deleteAccount(session: AuthSession, password: string, address: string, origin?: object): Promise<number> {
    const user = await this.checkPassword(session, password, address);
    const count = this.users.contactCount(user.annuaire_id);
    this.users.transaction(() => {
      this.contacts.deleteSearchIndexOf(user.annuaire_id);
      this.users.delete(user.id);
    });
    this.onRevoke({ userId: user.id, keepSessionId: null, reason: 'account_deleted', origin });
    return count;
  }

  /** The password asked again before a grave change: throttled like a login, since a stolen session must not become a stolen account. */
  private async checkPassword(session: AuthSession, password: string, address: string): Promise<UserRow> {
    const user = this.users.findById(session.userId);
    if (!user) throw new AppError('not_authenticated');
    return this.verify(usernameKey(user.username), password, address, () => this.users.findById(session.userId));
  }

  /**
   * Checks `password` against the user `find` returns, under the throttle. The throttle
   * reserves the check before hashing (see LoginThrottle), and a correct password does not
   * lift an active lock. The user is read again after the hash: a password changed or an
   * account deleted while this check ran makes it fail, as the old password would now.
   */
  private async verify(key: string, password: string, address: string, find: () => UserRow | undefined): Promise<UserRow> {
    const { attempt, retryAfterMs } = this.throttle.begin(key, address);
    if (!attempt) throw new AppError('too_many_attempts', { retryAfterMs });
    let ok = false;
    try {
      const before = find();
      ok = await verifyPassword(before?.password_hash ?? (await dummyPasswordHash()), password);
      const now = find();
      if (before && ok && now?.password_hash === before.password_hash) return now;
      throw new AppError('invalid_credentials');
    } finally {
      if (ok) attempt.succeeded();
      else attempt.failed();
    }
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
