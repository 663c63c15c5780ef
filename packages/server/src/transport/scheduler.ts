/**
 * Runs every connection's requests in turn, fairly between accounts. One event loop serves
 * everyone: without this, one account with 50 connections importing, exporting and
 * flooding gets 50 turns for every turn of another account's single connection, and a loop
 * iteration that serves all of them holds everyone's request for its whole length.
 *
 * Requests are run in slices of at most SLICE_MS (plus the request running when it ends),
 * and inside a slice the next request comes from the account (or, before login, the source
 * address) that has used the least time so far: start-time fair queueing, where an account
 * coming back from idle starts one slice before the current virtual time, so it runs next
 * but cannot bank credit by staying idle. Alone,
 * an account gets the whole loop; beside others, an equal share, whatever its connections.
 */
export interface Schedulable {
  /** Whose share this connection's requests use. */
  readonly shareKey: string;
  /** Whether it holds a request it could run now. */
  readonly runnable: boolean;
  /**
   * Runs one request. A promise says it is not done yet: the slice waits for it while it
   * only needs the CPU (SQLite's work, in microtasks), not once it waits on I/O (argon2,
   * PostgreSQL), which lets the slice go on with the next request.
   */
  runOne(): void | Promise<unknown>;
}

export const SLICE_MS = 10;

export class FairScheduler {
  /** Ready connections by share key, each set in round-robin order. */
  private readonly ready = new Map<string, Set<Schedulable>>();
  /** The key each ready connection was queued under (its key may change at login). */
  private readonly queuedUnder = new Map<Schedulable, string>();
  /** Virtual time used per key; a key absent or below `clock` starts at `clock`. */
  private readonly used = new Map<string, number>();
  private clock = 0;
  private scheduled = false;

  constructor(
    private readonly sliceMs = SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Says `c` has work; it runs in the next slice (after pending I/O). */
  wake(c: Schedulable): void {
    if (this.queuedUnder.has(c) || !c.runnable) return;
    const key = c.shareKey;
    let set = this.ready.get(key);
    if (!set) {
      set = new Set();
      this.ready.set(key, set);
      // Back from idle: a little ahead of the busy keys (as CFS credits sleepers), so that a
      // light user's request runs next, but never more than a slice ahead.
      this.used.set(key, Math.max(this.used.get(key) ?? 0, this.clock - this.sliceMs));
    }
    set.add(c);
    this.queuedUnder.set(c, key);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.runSlice());
    }
  }

  private async runSlice(): Promise<void> {
    // `scheduled` stays set while the slice runs (it may span turns): no second slice meanwhile.
    const start = this.now();
    while (this.ready.size > 0 && this.now() - start < this.sliceMs) {
      const key = this.leastUsed();
      const set = this.ready.get(key)!;
      const c = set.values().next().value!;
      set.delete(c);
      this.queuedUnder.delete(c);
      const t0 = this.now();
      if (c.runnable) {
        const pending = c.runOne();
        if (pending) await settledOrNextTurn(pending);
      }
      this.clock = this.used.get(key)!;
      this.used.set(key, this.clock + (this.now() - t0));
      if (set.size === 0) this.retire(key);
      // Still holding work: back of its account's line.
      this.wake(c);
    }
    this.scheduled = false;
    if (this.ready.size > 0) {
      this.scheduled = true;
      setImmediate(() => void this.runSlice());
    }
  }

  private leastUsed(): string {
    let best = '';
    let min = Infinity;
    for (const key of this.ready.keys()) {
      const u = this.used.get(key)!;
      if (u < min) {
        min = u;
        best = key;
      }
    }
    return best;
  }

  /** A key with no ready connection: forget it unless it used more than its share (then its debt stays). */
  private retire(key: string): void {
    this.ready.delete(key);
    if ((this.used.get(key) ?? 0) <= this.clock) this.used.delete(key);
    // Debts are bounded by what one slice can add; forget the settled ones when many accumulate.
    if (this.used.size > 10_000) {
      for (const [k, u] of this.used) if (!this.ready.has(k) && u <= this.clock) this.used.delete(k);
    }
  }
}

/** Resolves when `p` settles, or at the next turn of the event loop if it is waiting on I/O. */
function settledOrNextTurn(p: Promise<unknown>): Promise<unknown> {
  let immediate: NodeJS.Immediate | undefined;
  const turn = new Promise<void>((resolve) => (immediate = setImmediate(resolve)));
  const settled = p.then(
    () => clearImmediate(immediate),
    () => clearImmediate(immediate),
  );
  return Promise.race([settled, turn]);
}
