import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { Password, PASSWORD_MAX, PasswordAttempt, type ResultOf } from '@annuaire/protocol';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Form } from '../components/Form';
import { formKeys } from '../components/formKeys';
import { Menu } from '../components/Menu';
import { Screen } from '../components/Screen';
import { useBack } from '../hooks/useBack';
import { useConnection } from '../hooks/useConnection';
import { useForm } from '../hooks/useForm';
import { useLogout } from '../hooks/useLogout';
import { useT, type Translate } from '../i18n';
import type { FormMessage } from '../components/formTypes';
import type { Failure } from '../client/describeFailure';
import { notify, reset } from '../state/actions';
import { useAppState } from '../state/context';
import { compact, fieldError } from '../lib/validation';

type Mode = 'menu' | 'password' | 'delete';

/** My account: change the password, delete the account (password asked again, consequences spelled out), log out. */
export function Account() {
  const t = useT();
  const { conn, state } = useConnection();
  const [mode, setModeState] = useState<Mode>('menu');
  /** Deleting the account: the question (over the screen) comes before the password. */
  const [askingDelete, setAskingDelete] = useState(false);
  const setMode = (next: Mode) => {
    setModeState(next);
    setAskingDelete(next === 'delete');
  };
  const [info, setInfo] = useState<ResultOf<'whoami'> | null>(null);

  useEffect(() => {
    if (state !== 'online' || mode !== 'menu') return;
    let live = true;
    conn.request('whoami').then(
      (r) => live && setInfo(r),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [conn, state, mode]);

  useBack({ isActive: mode === 'menu' });

  const logout = useLogout();

  const keys = mode === 'menu' ? [t('keys.arrows'), t('keys.enter'), t('keys.digits', { max: 3 }), t('keys.esc')] : formKeys(t);
  return (
    <Screen
      title={t('account.heading')}
      keys={keys}
      dialog={
        mode === 'delete' && askingDelete ? (
          <ConfirmDialog message={t('account.confirmDelete', { username: info?.username ?? conn.username ?? '', count: info?.contact_count ?? 0 })} onYes={() => setAskingDelete(false)} onNo={() => setMode('menu')} />
        ) : null
      }
    >
      {info ? (
        <Text wrap="truncate-end" dimColor>
          {t('account.info', { username: info.username, count: info.contact_count, created: info.created_at.slice(0, 10) })}
        </Text>
      ) : (
        <Text> </Text>
      )}
      <Box marginTop={1} flexDirection="column">
        {mode === 'menu' ? (
          <Box marginLeft={2}>
            <Menu
              items={[
                { value: 'password', label: t('account.changePassword') },
                { value: 'delete', label: t('account.delete') },
                { value: 'logout', label: t('account.logout') },
              ]}
              onSelect={(v) => (v === 'logout' ? void logout() : setMode(v as Mode))}
            />
          </Box>
        ) : mode === 'password' ? (
          <ChangePassword onDone={() => setMode('menu')} />
        ) : (
          <DeleteAccount count={info?.contact_count ?? 0} confirming={askingDelete} onCancel={() => setMode('menu')} />
        )}
      </Box>
    </Screen>
  );
}

function ChangePassword({ onDone }: { onDone: () => void }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  const form = useForm(
    'changePassword',
    { old: '', next: '', confirm: '' },
    {
      secret: ['old', 'next', 'confirm'],
      validate: (v) =>
        compact({
          old: fieldError(PasswordAttempt, v.old, t),
          next: fieldError(Password, v.next, t),
          confirm: v.confirm !== v.next ? t('validation.password_mismatch') : undefined,
        }),
    },
  );
  useBack({ onBack: () => (onDone(), true) });
  return (
    <Form
      {...form.formProps}
      fields={[
        { name: 'old', label: t('account.oldPassword'), kind: 'password', maxLength: PASSWORD_MAX },
        { name: 'next', label: t('account.newPassword'), kind: 'password', maxLength: PASSWORD_MAX },
        { name: 'confirm', label: t('account.confirmPassword'), kind: 'password', maxLength: PASSWORD_MAX },
      ]}
      submitLabel={t('account.changePassword')}
      onSubmit={() =>
        void form.submit(
          (v) => conn.request('change_password', { old_password: v.old, new_password: v.next }),
          (r) => {
            dispatch(notify(r.message || t('account.passwordChanged')));
            onDone();
          },
          // No username was typed here: the server's « Nom d'utilisateur ou mot de passe incorrect » would puzzle.
          (failure) => wrongPassword(failure, () => form.showErrors({ old: t('account.wrongPassword') }), form.setMessage, t),
        )
      }
    />
  );
}

/** invalid_credentials where only a password was typed: « Mot de passe incorrect », on the password field. */
function wrongPassword(failure: Failure, markField: () => void, setMessage: (m: FormMessage) => void, t: Translate): boolean {
  if (failure.code !== 'invalid_credentials') return false;
  markField();
  setMessage({ text: t('account.wrongPassword'), tone: 'error' });
  return true;
}

/**
 * Delete my account: the question comes first (what is lost, spelled out), then the password, whose
 * submit deletes. So a wrong password gets « Mot de passe incorrect » and never a last confirmation.
 */
function DeleteAccount({ count, confirming, onCancel }: { count: number; confirming: boolean; onCancel: () => void }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  const form = useForm('deleteAccount', { password: '' }, { secret: ['password'], validate: (v) => compact({ password: fieldError(PasswordAttempt, v.password, t) }) });
  useBack({ isActive: !confirming, onBack: () => (onCancel(), true) });
  const doDelete = () =>
    void form.submit(
      (v) => conn.request('delete_account', { password: v.password }),
      (r) => {
        conn.forgetSession();
        dispatch(reset({ name: 'welcome' }));
        dispatch(notify(t('account.deleted', { count: r.deleted_contacts })));
      },
      (failure) => wrongPassword(failure, () => form.showErrors({ password: t('account.wrongPassword') }), form.setMessage, t),
    );
  return (
    <Box flexDirection="column">
      <Text color="red" bold>
        {t('account.deleteHeading')}
      </Text>
      <Text color="red">{t('account.deleteWarning', { count })}</Text>
      <Box marginTop={1}>
        <Form
          {...form.formProps}
          isActive={!confirming}
          fields={[{ name: 'password', label: t('account.deletePassword'), kind: 'password', maxLength: PASSWORD_MAX }]}
          labelWidth={34}
          submitLabel={t('account.deleteSubmit')}
          onSubmit={doDelete}
        />
      </Box>
    </Box>
  );
}
