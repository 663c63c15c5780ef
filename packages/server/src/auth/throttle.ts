export interface ThrottlePolicy {
  /** Failed logins allowed per username before back-off starts. */
  freeFailuresPerUser: number;
  /** Failed logins allowed per source address before back-off starts. */
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
  lockedUntil: number;
  lastFailure: number;
}

/** Keeps memory bounded under a flood of distinct usernames or addresses. */
const MAX_ENTRIES = 100_000;

/**
 * Exponential back-off on failed logins, per username and per source address.
 * Keys are usernames as typed (normalized), whether or not the account exists,
 * so a lock never reveals who has an account.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until a login may be tried again for this pair, 0 when allowed now. */
  retryAfter(usernameKey: string, address: string): number {
    const t = this.now();
    const waits = [this.entries.get(`u:${usernameKey}`), this.entries.get(`a:${address}`)].map((e) =>
      e ? Math.max(0, e.lockedUntil - t) : 0,
    );
    return Math.max(...waits);
  }

  recordFailure(usernameKey: string, address: string): void {
    this.bump(`u:${usernameKey}`, this.policy.freeFailuresPerUser);
    this.bump(`a:${address}`, this.policy.freeFailuresPerAddress);
  }

  recordSuccess(usernameKey: string, address: string): void {
    this.entries.delete(`u:${usernameKey}`);
    this.entries.delete(`a:${address}`);
  }

  private bump(key: string, free: number): void {
    const t = this.now();
    let entry = this.entries.get(key);
    // A quiet period as long as the longest lock forgives old failures.
    if (entry && t - entry.lastFailure > this.policy.maxDelayMs) entry = undefined;
    if (!entry) {
      if (this.entries.size >= MAX_ENTRIES) this.prune(t);
      entry = { failures: 0, lockedUntil: 0, lastFailure: t };
      this.entries.set(key, entry);
    }
    entry.failures += 1;
    entry.lastFailure = t;
    const over = entry.failures - free;
    if (over > 0) {
      entry.lockedUntil = t + Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (over - 1));
    }
  }

  private prune(t: number): void {
    for (const [key, e] of this.entries) {
      if (t - e.lastFailure > this.policy.maxDelayMs) this.entries.delete(key);
    }
    // Still full: drop the oldest (Map keeps insertion order).
    for (const key of this.entries.keys()) {
      if (this.entries.size < MAX_ENTRIES) break;
      this.entries.delete(key);
    }
  }
}
