import type { LimitRepository, ThrottleEntry } from '../store/backend';

export interface ThrottlePolicy {
  /** Failed password checks allowed per username before back-off starts. */
  freeFailuresPerUser: number;
  /** Failed password checks allowed per source address before back-off starts. */
  freeFailuresPerAddress: number;
  /** First lock length; each further failure doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  freeFailuresPerUser: 5,
  freeFailuresPerAddress: 20,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
};

interface Entry {
  failures: number;
  /** Checks begun and not finished: each may yet be a failure. */
  pending: number;
  lockedUntil: number;
  lastFailure: number;
}

/** Keeps memory bounded under a flood of distinct usernames or addresses. */
const MAX_ENTRIES = 100_000;

/** One password check that was allowed to run; say how it ended. */
export interface PasswordAttempt {
  succeeded(): void;
  failed(): void;
  /** Did not run after all: the reservation is given back, nothing is counted. */
  cancel(): void;
}

/** A check allowed by beginShared: its end is written where every process reads it. */
export interface SharedPasswordAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

export type AttemptOrWait = { attempt: PasswordAttempt; retryAfterMs?: undefined } | { attempt?: undefined; retryAfterMs: number };

/**
 * Exponential back-off on failed password checks (login, and the password asked again by
 * change_password and delete_account), per username and per source address. Keys are
 * usernames as typed (normalized), whether or not the account exists, so a lock never
 * reveals who has an account.
 *
 * A check is counted before the password is hashed, not after: guesses sent in parallel
 * all arrive before the first one fails, so counting afterwards would let every one of
 * them through. Past the free failures, at most one check runs at a time, and only once
 * the lock has expired.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
    /** Where every process on the database counts failures (none: this process alone). */
    private readonly shared?: LimitRepository,
  ) {}

  /** Milliseconds until a check may run for this pair, 0 when one may run now (reserves nothing). */
  retryAfter(usernameKey: string, address: string): number {
    const t = this.now();
    const user = this.entries.get(`u:${usernameKey}`);
    const addr = this.entries.get(`a:${address}`);
    return Math.max(
      user ? this.waitFor(user, this.policy.freeFailuresPerUser, t) : 0,
      addr ? this.waitFor(addr, this.policy.freeFailuresPerAddress, t) : 0,
    );
  }

  /**
   * begin(), after taking in what every server process on the database has counted (the
   * shared entries): failures there lock here too, and this process's failures are written
   * there. The check-and-reserve itself stays synchronous, so parallel guesses on one
   * process cannot all pass between a read and a write.
   */
  async beginShared(
    usernameKey: string,
    address: string,
  ): Promise<{ attempt: SharedPasswordAttempt; retryAfterMs?: undefined } | { attempt?: undefined; retryAfterMs: number }> {
    const shared = this.shared;
    if (!shared) {
      const r = this.begin(usernameKey, address);
      if (!r.attempt) return r;
      const { attempt } = r;
      return { attempt: { succeeded: async () => attempt.succeeded(), failed: async () => attempt.failed() } };
    }
    const userKey = `u:${usernameKey}`;
    const addrKey = `a:${address}`;
    // Reserved here first, synchronously, as begin() always did: a burst is counted as it
    // arrives, however long the shared read below takes.
    const r = this.begin(usernameKey, address);
    if (!r.attempt) return r;
    let found: Map<string, ThrottleEntry>;
    try {
      found = await shared.throttleEntries([userKey, addrKey]);
    } catch (err) {
      r.attempt.cancel();
      throw err;
    }
    const t = this.now();
    for (const [key, s] of found) this.merge(key, s, t);
    // Locked by failures another process counted: this check does not run.
    const lockedFor = Math.max(0, ...[userKey, addrKey].map((k) => (this.entries.get(k)?.lockedUntil ?? 0) - t));
    if (lockedFor > 0) {
      r.attempt.cancel();
      return { retryAfterMs: lockedFor };
    }
    const { policy } = this;
    const lockFor = (free: number) => (failures: number) =>
      failures > free ? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - free - 1)) : 0;
    const local = r.attempt;
    return {
      attempt: {
        succeeded: async () => {
          local.succeeded();
          await shared.clear(userKey);
        },
        failed: async () => {
          local.failed();
          const at = this.now();
          await shared.recordFailures([userKey], at, lockFor(policy.freeFailuresPerUser), policy.maxDelayMs);
          await shared.recordFailures([addrKey], at, lockFor(policy.freeFailuresPerAddress), policy.maxDelayMs);
        },
      },
    };
  }

  /** Takes in a shared entry newer than what this process knows (never lowering a count or a lock). */
  private merge(key: string, s: ThrottleEntry, t: number): void {
    // Forgotten there as it would be here: no lock and quiet for longer than the longest lock.
    if (s.lockedUntil <= t && t - s.lastFailure > this.policy.maxDelayMs) return;
    const e = this.entry(key, t);
    e.failures = Math.max(e.failures, s.failures);
    e.lockedUntil = Math.max(e.lockedUntil, s.lockedUntil);
    e.lastFailure = Math.max(e.lastFailure, s.lastFailure);
  }

  /** Reserves a password check for this pair, or says how long to wait first. */
  begin(usernameKey: string, address: string): AttemptOrWait {
    const wait = this.retryAfter(usernameKey, address);
    if (wait > 0) return { retryAfterMs: wait };
    const t = this.now();
    const user = this.entry(`u:${usernameKey}`, t);
    const addr = this.entry(`a:${address}`, t);
    user.pending += 1;
    addr.pending += 1;
    let done = false;
    const finish = (failed: boolean | 'cancelled') => {
      if (done) return;
      done = true;
      user.pending -= 1;
      addr.pending -= 1;
      if (failed === 'cancelled') return;
      if (failed) {
        this.fail(user, this.policy.freeFailuresPerUser);
        this.fail(addr, this.policy.freeFailuresPerAddress);
      } else if (user.pending === 0) {
        // The account's owner is back: their username starts afresh. The address does not:
        // logging into one's own account must not buy more guesses at other accounts.
        this.entries.delete(`u:${usernameKey}`);
      }
    };
    return { attempt: { succeeded: () => finish(false), failed: () => finish(true), cancel: () => finish('cancelled') } };
  }

  /** Milliseconds until a check may run for this entry; 0 when one may run now. */
  private waitFor(e: Entry, free: number, t: number): number {
    if (e.lockedUntil > t) return e.lockedUntil - t;
    // Within the free failures, as many checks as could each still fail without passing them.
    if (e.failures + e.pending < free) return 0;
    // Past them, one at a time: the next waits for the one running to fail (and lock) or succeed.
    return e.pending === 0 ? 0 : this.policy.baseDelayMs;
  }

  private fail(e: Entry, free: number): void {
    const t = this.now();
    e.failures += 1;
    e.lastFailure = t;
    const over = e.failures - free;
    if (over > 0) e.lockedUntil = t + Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (over - 1));
  }

  private entry(key: string, t: number): Entry {
    let e = this.entries.get(key);
    // A quiet period as long as the longest lock forgives old failures.
    if (e && e.pending === 0 && e.lockedUntil <= t && t - e.lastFailure > this.policy.maxDelayMs) {
      e.failures = 0;
    }
    if (!e) {
      if (this.entries.size >= MAX_ENTRIES) this.prune(t);
      e = { failures: 0, pending: 0, lockedUntil: 0, lastFailure: t };
      this.entries.set(key, e);
    }
    return e;
  }

  private prune(t: number): void {
    const idle = (e: Entry) => e.pending === 0 && e.lockedUntil <= t;
    for (const [key, e] of this.entries) {
      if (idle(e) && t - e.lastFailure > this.policy.maxDelayMs) this.entries.delete(key);
    }
    // Still full: drop the oldest idle ones (Map keeps insertion order); never one whose check is running.
    for (const [key, e] of this.entries) {
      if (this.entries.size < MAX_ENTRIES) break;
      if (idle(e)) this.entries.delete(key);
    }
  }
}
