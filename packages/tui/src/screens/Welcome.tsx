import { Box } from 'ink';
import { EmbeddedNote } from '../components/EmbeddedNote';
import { Menu } from '../components/Menu';
import { Screen } from '../components/Screen';
import { useT } from '../i18n';
import { push } from '../state/actions';
import { useAppState } from '../state/context';

/** The seed's start screen: exactly three choices. */
export function Welcome() {
  const t = useT();
  const { dispatch } = useAppState();
  return (
    <Screen title={t('welcome.heading')} keys={[t('keys.arrows'), t('keys.enter'), t('keys.digits', { max: 3 })]}>
      <Box marginTop={1} marginLeft={2} flexDirection="column">
        <Menu
          items={[
            { value: 'create', label: t('welcome.create') },
            { value: 'login', label: t('welcome.login') },
            { value: 'quit', label: t('welcome.quit') },
          ]}
          onSelect={(choice) => {
            if (choice === 'create') dispatch(push({ name: 'createAccount' }));
            else if (choice === 'login') dispatch(push({ name: 'login' }));
            else dispatch({ type: 'askQuit' });
          }}
        />
      </Box>
      <Box marginTop={1} marginLeft={2}>
        <EmbeddedNote />
      </Box>
    </Screen>
  );
}
