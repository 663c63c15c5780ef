import { Box } from 'ink';
import { Password, PASSWORD_MAX, requiredMaxLength, Username } from '@annuaire/protocol';
import { Form } from '../components/Form';
import { formKeys } from '../components/formKeys';
import { Screen } from '../components/Screen';
import { useConnection } from '../hooks/useConnection';
import { useForm } from '../hooks/useForm';
import { useBack } from '../hooks/useBack';
import { useT } from '../i18n';
import { notify, reset } from '../state/actions';
import { useAppState } from '../state/context';
import { compact, fieldError } from '../lib/validation';

/** Username, password, confirmation → create_account, then on to the login form. */
export function CreateAccount() {
  const t = useT();
  const { dispatch } = useAppState();
  const { conn } = useConnection();
  const form = useForm(
    'createAccount',
    { username: '', password: '', confirm: '' },
    {
      secret: ['password', 'confirm'],
      validate: (v) =>
        compact({
          username: fieldError(Username, v.username, t),
          password: fieldError(Password, v.password, t),
          confirm: v.confirm !== v.password ? t('validation.password_mismatch') : undefined,
        }),
    },
  );
  useBack();
  const onSubmit = () =>
    form.submit(
      (v) => conn.request('create_account', { username: v.username, password: v.password }),
      (result) => {
        dispatch(reset({ name: 'welcome' }, { name: 'login', username: result.username }));
        dispatch(notify(result.message));
      },
    );
  return (
    <Screen title={t('create.heading')} keys={formKeys(t)}>
      <Box marginTop={1} flexDirection="column">
        <Form
          {...form.formProps}
          fields={[
            { name: 'username', label: t('create.username'), maxLength: requiredMaxLength(Username) },
            { name: 'password', label: t('create.password'), kind: 'password', maxLength: PASSWORD_MAX },
            { name: 'confirm', label: t('create.confirm'), kind: 'password', maxLength: PASSWORD_MAX },
          ]}
          submitLabel={t('create.submit')}
          onSubmit={() => void onSubmit()}
        />
      </Box>
    </Screen>
  );
}
