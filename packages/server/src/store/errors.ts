/**
 * The database cannot be reached right now (PostgreSQL restarting, the network down, every
 * pooled connection busy past the timeout). Nothing was written, or the outcome of the last
 * commit is unknown; the request may be sent again after `retryAfterMs`. The server answers
 * it with `unavailable`.
 */
export class StoreUnavailable extends Error {
  readonly retryAfterMs: number;

  constructor(reason: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(`database unavailable: ${reason}`, { cause: options.cause });
    this.name = 'StoreUnavailable';
    this.retryAfterMs = options.retryAfterMs ?? 1000;
  }
}
