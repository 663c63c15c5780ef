/**
 * At most `limit` events per key within a sliding `windowMs`: how many accounts one address may
 * create per window. (The per-connection request rate is transport/rate-limit.ts.)
 */
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
