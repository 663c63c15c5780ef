import { Box, Text } from 'ink';
import { Screen } from '../components/Screen';
import { Spinner } from '../components/Spinner';
import { useConnection } from '../hooks/useConnection';
import { useKeypress } from '../hooks/useKeypress';
import { useT } from '../i18n';

/** Shown while the first connection is being made, and when it failed: names the address, offers R to retry. */
export function Unreachable() {
  const t = useT();
  const { conn, state, address } = useConnection();
  useKeypress((event) => {
    if (state === 'unreachable' && /^[rR]$/.test(event.input) && !event.key.ctrl) {
      void conn.retry();
      return true;
    }
    return false;
  });
  return (
    <Screen title={t('app.title')} keys={state === 'unreachable' ? [t('keys.retry')] : []}>
      <Box marginTop={1} flexDirection="column" marginLeft={2}>
        {state === 'connecting' ? (
          <Spinner label={t('status.connecting')} />
        ) : (
          <>
            <Text color="red" bold>
              {t('conn.unreachable', { address })}
            </Text>
            <Text>{t('conn.unreachableHint')}</Text>
          </>
        )}
      </Box>
    </Screen>
  );
}
