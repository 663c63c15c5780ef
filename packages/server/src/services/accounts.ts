import { AppError, invalidParam } from '../errors';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/passwords';
import { hashToken, newSessionToken } from '../auth/tokens';
import type { RevokedSessions, UserRow } from '../store/rows';
import { UsernameTaken, type LimitRepository, type SessionRepository, type UserRepository } from '../store/backend';
import type { AuthSession } from './session';
import type { LoginThrottle } from '../auth/throttle';
import { legacyUsernameKey, usernameKey } from '../auth/username';
import type { SessionEndReason } from '@annuaire/protocol';

/** Sessions just revoked; `origin` is the request that did it (it learns so from its reply, not from an event). */
export interface Revocation extends RevokedSessions {
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
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly policy: SessionPolicy,
    private readonly throttle: LoginThrottle,
    /** Account creations per address, counted where every server process sees them. */
    private readonly creations: { limits: LimitRepository; perAddress: number; windowMs: number },
    /** Told when sessions are revoked, so that connections using them are logged out too. */
    private readonly onRevoke: (revocation: Revocation) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  async createAccount(username: string, password: string, address: string): Promise<UserRow> {
    const { limits, perAddress, windowMs } = this.creations;
    const wait = await limits.takeWindow(`create:${address}`, perAddress, windowMs, this.now());
    if (wait > 0) throw new AppError('rate_limited', { retryAfterMs: wait });
    const display = username.normalize('NFC');
    const passwordHash = await hashPassword(password);
    try {
      return await this.users.create(display, usernameKey(display), passwordHash, new Date(this.now()).toISOString());
    } catch (err) {
      if (err instanceof UsernameTaken) throw new AppError('username_taken');
      throw err;
    }
  }

  /** Checks the password and opens a session. Unknown user and wrong password fail alike, in the same time. */
  async login(username: string, password: string, address: string): Promise<{ session: AuthSession; token: string }> {
    // An account that shared its key with an older look-alike before migration 7 logs in by its own name.
    const user = await this.verify(
      usernameKey(username),
      password,
      address,
      async () => (await this.users.findByKey(legacyUsernameKey(username))) ?? (await this.users.findByKey(usernameKey(username))),
    );
    return this.openSession(user);
  }

  /** Resumes a session on a new connection; an unknown or expired token fails like a wrong password. */
  async resume(token: string): Promise<{ session: AuthSession; token: string }> {
    const now = this.now();
    const row = await this.sessions.find(hashToken(token));
    if (!row || this.isExpired(row, now)) {
      if (row) await this.sessions.delete(row.id);
      throw new AppError('invalid_credentials');
    }
    const user = await this.users.findById(row.user_id);
    if (!user) throw new AppError('invalid_credentials');
    await this.sessions.touch(row.id, now);
    return { session: toSession(user, row.id), token };
  }

  /**
   * Whether a connection's session still stands: it may have been revoked (logout on
   * another connection, password changed, account deleted, on any server process sharing
   * the database) or have expired since the connection logged in. Checked on every
   * private request, so a revoked session stops working at once, wherever it is open.
   */
  async isLive(session: AuthSession): Promise<boolean> {
    const now = this.now();
    const row = await this.sessions.findById(session.sessionId);
    if (!row || row.user_id !== session.userId || this.isExpired(row, now)) return false;
    // Not a write for every request: once a minute (or a tenth of the idle limit, if shorter).
    if (now - row.last_used_at > Math.min(SESSION_TOUCH_MS, this.policy.idleMs / 10)) await this.sessions.touch(row.id, now);
    return true;
  }

  /**
   * Whether a connection's session has ended since it logged in, and why; unlike isLive,
   * does not count as a use (for the server's periodic sweep, which must not keep it alive).
   */
  async endReason(session: AuthSession): Promise<SessionEndReason | null> {
    const row = await this.sessions.findById(session.sessionId);
    if (!row || row.user_id !== session.userId) return (await this.users.findById(session.userId)) ? 'logged_out_elsewhere' : 'account_deleted';
    return this.isExpired(row, this.now()) ? 'expired' : null;
  }

  async logout(session: AuthSession, origin?: object): Promise<void> {
    await this.sessions.delete(session.sessionId);
    // The same session may be open on other connections (a token resumed in another terminal).
    this.onRevoke({ userId: session.userId, sessionId: session.sessionId, reason: 'logged_out_elsewhere', origin });
  }

  async whoami(session: AuthSession): Promise<{ username: string; created_at: string; contact_count: number }> {
    const user = await this.users.findById(session.userId);
    if (!user) throw new AppError('not_authenticated');
    return { username: user.username, created_at: user.created_at, contact_count: await this.users.contactCount(user.annuaire_id) };
  }

  /** Changes the password and revokes every other session of the user. */
  async changePassword(session: AuthSession, oldPassword: string, newPassword: string, address: string, origin?: object): Promise<void> {
    const user = await this.checkPassword(session, oldPassword, address);
    if (oldPassword === newPassword) throw invalidParam('new_password', 'same_password');
    await this.users.setPasswordHash(user.id, await hashPassword(newPassword));
    await this.sessions.deleteOthers(user.id, session.sessionId);
    this.onRevoke({ userId: user.id, keepSessionId: session.sessionId, reason: 'password_changed', origin });
  }

  /** Deletes the user, their annuaire, every contact and every session, for good. */
  async deleteAccount(session: AuthSession, password: string, address: string, origin?: object): Promise<number> {
    const user = await this.checkPassword(session, password, address);
    const count = await this.users.contactCount(user.annuaire_id);
    await this.users.delete(user.id);
    this.onRevoke({ userId: user.id, keepSessionId: null, reason: 'account_deleted', origin });
    return count;
  }

  /** The password asked again before a grave change: throttled like a login, since a stolen session must not become a stolen account. */
  private async checkPassword(session: AuthSession, password: string, address: string): Promise<UserRow> {
    const user = await this.users.findById(session.userId);
    if (!user) throw new AppError('not_authenticated');
    return this.verify(usernameKey(user.username), password, address, () => this.users.findById(session.userId));
  }

  /**
   * Checks `password` against the user `find` returns, under the throttle. The throttle
   * reserves the check before hashing (see LoginThrottle), and a correct password does not
   * lift an active lock. The user is read again after the hash: a password changed or an
   * account deleted while this check ran makes it fail, as the old password would now.
   */
  private async verify(key: string, password: string, address: string, find: () => Promise<UserRow | undefined>): Promise<UserRow> {
    const { attempt, retryAfterMs } = await this.throttle.beginShared(key, address);
    if (!attempt) throw new AppError('too_many_attempts', { retryAfterMs });
    let ok = false;
    try {
      const before = await find();
      ok = await verifyPassword(before?.password_hash ?? (await dummyPasswordHash()), password);
      const now = await find();
      if (before && ok && now?.password_hash === before.password_hash) return now;
      throw new AppError('invalid_credentials');
    } finally {
      if (ok) await attempt.succeeded();
      else await attempt.failed();
    }
  }

  private async openSession(user: UserRow): Promise<{ session: AuthSession; token: string }> {
    const now = this.now();
    await this.sessions.deleteExpired(now - this.policy.idleMs, now - this.policy.absoluteMs);
    const token = newSessionToken();
    // Opened only if the password checked is still the user's (a change or a deletion may have come meanwhile).
    const sessionId = await this.sessions.create(user.id, hashToken(token), now, user.password_hash);
    if (sessionId === undefined) throw new AppError('invalid_credentials');
    return { session: toSession(user, sessionId), token };
  }

  private isExpired(row: { created_at: number; last_used_at: number }, now: number): boolean {
    return now - row.last_used_at > this.policy.idleMs || now - row.created_at > this.policy.absoluteMs;
  }
}

function toSession(user: UserRow, sessionId: number): AuthSession {
  return { userId: user.id, username: user.username, annuaireId: user.annuaire_id, sessionId };
}
