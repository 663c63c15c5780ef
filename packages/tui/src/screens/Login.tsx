import { Box } from 'ink';
import { accounts, PASSWORD_MAX, requiredMaxLength } from '@annuaire/protocol';
import { Form } from '../components/Form';
import { formKeys } from '../components/formKeys';
import { Screen } from '../components/Screen';
import { useBack } from '../hooks/useBack';
import { useConnection } from '../hooks/useConnection';
import { useForm } from '../hooks/useForm';
import { useT } from '../i18n';
import { useAppState } from '../state/context';
import { compact } from '../lib/validation';

/** Username and password (masked) → login; the server's « connexion réussie. » greets on Home. */
export function Login({ username = '' }: { username?: string }) {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  const form = useForm(
    'login',
    { username, password: '' },
    {
      secret: ['password'],
      validate: (v) =>
        compact({
          username: v.username.trim() ? undefined : t('validation.required'),
          password: v.password ? undefined : t('validation.required'),
        }),
    },
  );
  useBack();
  return (
    <Screen title={t('login.heading')} keys={formKeys(t)}>
      <Box marginTop={1} flexDirection="column">
        <Form
          {...form.formProps}
          fields={[
            { name: 'username', label: t('login.username'), maxLength: requiredMaxLength(accounts.login.params.shape.username) },
            { name: 'password', label: t('login.password'), kind: 'password', maxLength: PASSWORD_MAX },
          ]}
          submitLabel={t('login.submit')}
          initialFocus={username ? 1 : 0}
          onSubmit={() =>
            void form.submit(
              (v) => conn.login(v.username.trim(), v.password),
              (result) => dispatch({ type: 'loggedIn', username: result.username, notice: { text: result.message, tone: 'info' }, restoredNotice: { text: `${result.message} ${t('form.draftRestored')}`, tone: 'info' } }),
            )
          }
        />
      </Box>
    </Screen>
  );
}
