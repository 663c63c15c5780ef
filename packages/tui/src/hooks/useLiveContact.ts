import type { Contact } from '@annuaire/protocol';
import { useLiveChanges } from './useLiveChanges';

/**
 * Watches the contact an open form edits: `changed` with its newer version when it is saved
 * elsewhere, `deleted` when it is deleted elsewhere. Quiet while the form's own save is on its
 * way (that save's own change is not someone else's) and for versions the form already has.
 */
export function useLiveContact(base: Contact | undefined, on: { saving: boolean; changed: (current: Contact) => void; deleted: () => void }): void {
  useLiveChanges((changes) => {
    if (!base || on.saving) return;
    const last = changes.filter((c) => c.contact_id === base.id).at(-1);
    if (!last) return;
    if (last.kind === 'deleted') on.deleted();
    else if (last.contact.version > base.version) on.changed(last.contact);
  });
}
