import { z } from 'zod';
import { Contact } from './contacts';

const Seq = z.number().int().nonnegative();
const ContactId = z.number().int().positive();

/**
 * One entry of an annuaire's change journal: a contact as it is now, or the id of a deleted
 * one (a tombstone). `seq` numbers the annuaire's changes; it only grows.
 */
export const ContactChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('changed'), seq: Seq, contact_id: ContactId, contact: Contact }),
  z.object({ kind: z.literal('deleted'), seq: Seq, contact_id: ContactId }),
]);
export type ContactChange = z.infer<typeof ContactChange>;

export const changes = {
  /**
   * What changed in the annuaire after `seq`, oldest first, each contact once (as it is now).
   * Fails with resync_required when `seq` is older than the journal keeps (or newer than the
   * annuaire's last change: a restored backup): reload with list_contacts, whose `seq` says
   * where to resume.
   */
  changes_since: {
    params: z.strictObject({
      seq: Seq,
      limit: z.number().int().min(1).max(500).default(200),
    }),
    result: z.object({
      changes: z.array(ContactChange),
      /** Pass back as the next `seq`: the last change of this page, or the annuaire's last change once none is left. */
      seq: Seq,
      /** More changes follow: ask again from `seq`. */
      more: z.boolean(),
    }),
  },
} as const;

/**
 * Pushed to every logged-in connection of the annuaire, its own writes included, after each
 * committed write (an import: after each batch). `seq` is the last change's.
 */
export const ContactsChangedEvent = z.object({
  event: z.literal('contacts_changed'),
  seq: Seq,
  changes: z.array(ContactChange),
});

/**
 * The connection fell too far behind reading its events, so the server stopped sending them:
 * catch up with changes_since from the last seq seen. `seq` is the last change not sent.
 */
export const ResyncRequiredEvent = z.object({
  event: z.literal('resync_required'),
  seq: Seq,
});

export const SESSION_END_REASONS = ['logged_out_elsewhere', 'password_changed', 'account_deleted', 'expired'] as const;

/** The connection's session was revoked or expired: it is logged out (the connection stays open). */
export const SessionEndedEvent = z.object({
  event: z.literal('session_ended'),
  reason: z.enum(SESSION_END_REASONS),
  message: z.string(),
});
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];
