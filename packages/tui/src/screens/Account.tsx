import { useEffect, useState } from 'react';
import { Box, Text } from 'ink';
import { Password, PasswordAttempt, type ResultOf } from '@annuaire/protocol';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Form } from '../components/Form';
import { Menu } from '../components/Menu';
import { Screen } from '../components/Screen';
import { useBack } from '../hooks/useBack';
import { useConnection } from '../hooks/useConnection';
import { useForm } from '../hooks/useForm';
import { useLogout } from '../hooks/useLogout';
import { useT } from '../i18n';
import { notify, reset } from '../state/actions';
import { useAppState } from '../state/context';
import { compact, fieldError } from '../state/validation';
import { formKeys } from './CreateAccount';

type Mode = 'menu' | 'password' | 'delete';

/** My account: change the password, delete the account (password asked again, consequences spelled out), log out. */
export function Account() {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn, state } = useConnection();
  const [mode, setMode] = useState<Mode>('menu');
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

  useBack(mode === 'menu');

  const logout = useLogout();

  const keys = mode === 'menu' ? [t('keys.arrows'), t('keys.enter'), t('keys.digits', { max: 3 }), t('keys.esc')] : formKeys(t);
  return (
    <Screen title={t('account.heading')} keys={keys}>
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
          <DeleteAccount count={info?.contact_count ?? 0} username={info?.username ?? conn.username ?? ''} onCancel={() => setMode('menu')} />
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
  useBack(true, () => (onDone(), true));
  return (
    <Form
      {...form.formProps}
      fields={[
        { name: 'old', label: t('account.oldPassword'), kind: 'password', maxLength: 256 },
        { name: 'next', label: t('account.newPassword'), kind: 'password', maxLength: 256 },
        { name: 'confirm', label: t('account.confirmPassword'), kind: 'password', maxLength: 256 },
      ]}
      submitLabel={t('account.changePassword')}
      onSubmit={() =>
        form.submit(
          (v) => conn.request('change_password', { old_password: v.old, new_password: v.next }),
          (r) => {
            dispatch(notify(r.message || t('account.passwordChanged')));
            onDone();
          },
        )
      }
    />
  );
}

function DeleteAccount({ count, username, onCancel }: { count: number; username: string; onCancel: () => void }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  const [confirming, setConfirming] = useState(false);
  const form = useForm('deleteAccount', { password: '' }, { secret: ['password'], validate: (v) => compact({ password: fieldError(PasswordAttempt, v.password, t) }) });
  useBack(!confirming, () => (onCancel(), true));
  const doDelete = () => {
    setConfirming(false);
    void form.submit(
      (v) => conn.request('delete_account', { password: v.password }),
      (r) => {
        conn.forgetSession();
        dispatch(reset({ name: 'welcome' }));
        dispatch(notify(`${r.message} ${t('account.deleted', { count: r.deleted_contacts })}`));
      },
    );
  };
  return (
    <Box flexDirection="column">
      {confirming ? <ConfirmDialog message={t('account.confirmDelete', { username })} onYes={doDelete} onNo={() => setConfirming(false)} /> : null}
      <Text color="red" bold>
        {t('account.deleteHeading')}
      </Text>
      <Text color="red">{t('account.deleteWarning', { count })}</Text>
      <Box marginTop={1}>
        <Form
          {...form.formProps}
          isActive={!confirming}
          fields={[{ name: 'password', label: t('account.deletePassword'), kind: 'password', maxLength: 256 }]}
          labelWidth={34}
          submitLabel={t('account.deleteSubmit')}
          onSubmit={() => {
            if (form.check()) setConfirming(true);
          }}
        />
      </Box>
    </Box>
  );
}
