import { useT } from '../i18n';
import { notify, reset } from '../state/actions';
import { useAppState } from '../state/context';
import { useConnection } from './useConnection';

/** Logs out (the token is forgotten even if the server cannot be told) and goes back to the start. */
export function useLogout(): () => Promise<void> {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  return async () => {
    let message = t('account.loggedOut');
    try {
      message = await conn.logout();
    } catch {
      // Logged out locally either way.
    }
    dispatch(reset({ name: 'welcome' }));
    dispatch(notify(message));
  };
}
