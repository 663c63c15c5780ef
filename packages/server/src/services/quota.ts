import { AppError } from '../errors';
import type { AnnuaireUsage, ContactStore } from '../store/contacts';

/** What one account may store on a shared server. */
export interface QuotaPolicy {
  maxContacts: number;
  /** UTF-8 bytes of every contact, imported cards' original text included. */
  maxBytes: number;
}

export const DEFAULT_QUOTA: QuotaPolicy = { maxContacts: 100_000, maxBytes: 100 * 1024 * 1024 };

/**
 * Checks an annuaire against its quota. Called inside a write's transaction, after the
 * write: the usage triggers have counted it, so an over-quota write is rolled back whole
 * (one contact, or one import batch) and nothing partial stays.
 */
export class QuotaGuard {
  constructor(
    private readonly store: ContactStore,
    readonly policy: QuotaPolicy,
  ) {}

  usage(annuaireId: number): AnnuaireUsage {
    return this.store.usage(annuaireId);
  }

  /** Throws when the annuaire is over a limit, and (given `before`) got further over it with this write. */
  enforce(annuaireId: number, before?: AnnuaireUsage): void {
    const usage = this.store.usage(annuaireId);
    if (usage.contacts > this.policy.maxContacts && usage.contacts > (before?.contacts ?? 0)) {
      throw new AppError('quota_exceeded', { quota: { kind: 'contacts', limit: this.policy.maxContacts } });
    }
    if (usage.bytes > this.policy.maxBytes && usage.bytes > (before?.bytes ?? 0)) {
      throw new AppError('quota_exceeded', { quota: { kind: 'bytes', limit: this.policy.maxBytes } });
    }
  }
}
