import { Box } from 'ink';
import { EmbeddedNote } from '../components/EmbeddedNote';
import { Menu } from '../components/Menu';
import { Screen } from '../components/Screen';
import { useLogout } from '../hooks/useLogout';
import { useT } from '../i18n';
import { push } from '../state/actions';
import { useAppState } from '../state/context';

export type HomeChoice = 'search' | 'contacts' | 'add' | 'transfer' | 'account' | 'logout' | 'quit';

/** What a logged-in user can do. */
export function Home() {
  const t = useT();
  const { dispatch } = useAppState();
  const logout = useLogout();
  return (
    <Screen title={t('home.heading')} keys={[t('keys.arrows'), t('keys.enter'), t('keys.digits', { max: 7 })]}>
      <Box marginTop={1} marginLeft={2}>
        <Menu<HomeChoice>
          items={[
            { value: 'search', label: t('home.search') },
            { value: 'contacts', label: t('home.contacts') },
            { value: 'add', label: t('home.add') },
            { value: 'transfer', label: t('home.transfer') },
            { value: 'account', label: t('home.account') },
            { value: 'logout', label: t('home.logout') },
            { value: 'quit', label: t('home.quit') },
          ]}
          onSelect={(choice) => {
            if (choice === 'search') dispatch(push({ name: 'search' }));
            else if (choice === 'contacts') dispatch(push({ name: 'contacts' }));
            else if (choice === 'add') dispatch(push({ name: 'contactForm' }));
            else if (choice === 'transfer') dispatch(push({ name: 'transfer' }));
            else if (choice === 'account') dispatch(push({ name: 'account' }));
            else if (choice === 'logout') void logout();
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
