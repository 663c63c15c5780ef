/**
 * A token bucket: `burst` requests at once, refilled at `perSecond`.
 * take() answers 0 when allowed, else the milliseconds until a token is back.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.perSecond) / 1000);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 1000) / this.perSecond);
  }
}

/** At most `limit` events per key within a sliding `windowMs`. */
export class WindowLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an event for `key` if allowed: 0; else the milliseconds until one is allowed. */
  take(key: string): number {
    const t = this.now();
    const recent = (this.events.get(key) ?? []).filter((at) => t - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.events.set(key, recent);
      return this.windowMs - (t - recent[0]!);
    }
    recent.push(t);
    this.events.set(key, recent);
    if (this.events.size > 100_000) this.prune(t);
    return 0;
  }

  private prune(t: number): void {
    for (const [key, list] of this.events) if (list.every((at) => t - at >= this.windowMs)) this.events.delete(key);
  }
}
