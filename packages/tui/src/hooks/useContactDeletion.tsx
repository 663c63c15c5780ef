import { useState } from 'react';
import type { Contact } from '@annuaire/protocol';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useT } from '../i18n';
import { nomPrenom } from '../lib/format';
import { notify } from '../state/actions';
import { useAppState } from '../state/context';
import { describeFailure } from '../client/describeFailure';
import { useConnection } from './useConnection';

/**
 * Ctrl+D on a contact: `ask` opens the question (`dialog`, shown over the list); Yes deletes it,
 * says what the server answered, then `onDeleted` (the list loads again); No closes the question.
 */
export function useContactDeletion(onDeleted: () => void) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  const [confirming, setConfirming] = useState<Contact | null>(null);
  const remove = async (victim: Contact) => {
    setConfirming(null);
    try {
      const result = await conn.request('delete_contact', { contact_id: victim.id });
      dispatch(notify(result.message));
      onDeleted();
    } catch (err) {
      dispatch(notify(describeFailure(err, t).message, 'error'));
    }
  };
  const dialog = confirming ? <ConfirmDialog message={t('contacts.confirmDelete', { name: nomPrenom(confirming) })} onYes={() => void remove(confirming)} onNo={() => setConfirming(null)} /> : null;
  return { asking: confirming !== null, ask: setConfirming, dialog };
}
