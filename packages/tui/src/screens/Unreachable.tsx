import { Box, Text } from 'ink';
import { Screen } from '../components/Screen';
import { Spinner } from '../components/Spinner';
import { useConnection } from '../hooks/useConnection';
import { useKeypress } from '../hooks/useKeypress';
import { useT } from '../i18n';

/** Shown while the first connection is being made, and when it failed: names the address (and a changed TLS certificate), offers R to retry. */
export function Unreachable({ knownHostsFile, caFile }: { knownHostsFile?: string | undefined; caFile?: string | undefined }) {
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
        ) : conn.certificateRejected ? (
          <>
            <Text color="red" bold>
              {t('tls.caRejected', { address, file: caFile ?? '' })}
            </Text>
            <Text>{t('tls.caRejectedHint', { reason: conn.certificateRejected })}</Text>
          </>
        ) : conn.certificateChanged ? (
          <>
            <Text color="red" bold>
              {t('tls.changed', { address })}
            </Text>
            <Text>{t('tls.changedHint', { address, file: knownHostsFile ?? '' })}</Text>
          </>
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
