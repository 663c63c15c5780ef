import { AppError } from '../errors';
import type { UsageGuard } from '../store/backend';

/** What one account may store on a shared server. */
export interface QuotaPolicy {
  maxContacts: number;
  /** UTF-8 bytes of every contact, imported cards' original text included. */
  maxBytes: number;
}

export const DEFAULT_QUOTA: QuotaPolicy = { maxContacts: 100_000, maxBytes: 100 * 1024 * 1024 };

/**
 * Checks an annuaire against its quota, inside a write's transaction, after the write (the
 * guard a backend runs: store/backend.ts UsageGuard): the usage counters have counted it,
 * so an over-quota write is rolled back whole (one contact, or one import batch).
 */
export class QuotaGuard {
  constructor(readonly policy: QuotaPolicy) {}

  /** Throws when the annuaire is over a limit and got further over it with this write. */
  readonly guard: UsageGuard = (after, before) => {
    if (after.contacts > this.policy.maxContacts && after.contacts > before.contacts) {
      throw new AppError('quota_exceeded', { quota: { kind: 'contacts', limit: this.policy.maxContacts } });
    }
    if (after.bytes > this.policy.maxBytes && after.bytes > before.bytes) {
      throw new AppError('quota_exceeded', { quota: { kind: 'bytes', limit: this.policy.maxBytes } });
    }
  };
}
