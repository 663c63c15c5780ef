import { Box, Text } from 'ink';
import type { ConnState } from '../state/connection';
import { useT } from '../i18n';

const COLORS: Record<ConnState, string> = { connecting: 'yellow', online: 'green', reconnecting: 'yellow', unreachable: 'red' };
const LABELS = { connecting: 'status.connecting', online: 'status.online', reconnecting: 'status.reconnecting', unreachable: 'status.offline' } as const;

/** The top line: app name, who is logged in, which server, and whether the link is up. */
/** `dataDir` is set when the server runs inside this process (no server answered on the default address). */
export function StatusBar({ username, address, state, dataDir, secure = false }: { username: string | null; address: string; state: ConnState; dataDir?: string | undefined; secure?: boolean }) {
  const t = useT();
  return (
    <Box flexShrink={0} justifyContent="space-between">
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          {t('app.title')}
        </Text>
        <Text> · </Text>
        <Text bold={username !== null}>{username ?? t('status.anonymous')}</Text>
      </Text>
      <Text wrap="truncate-start">
        <Text dimColor>{dataDir ? t('app.serverEmbedded', { address, dataDir }) : t('app.server', { address })} </Text>
        {secure ? <Text color="green">{t('tls.on')} </Text> : null}
        <Text color={COLORS[state]}>● {t(LABELS[state])}</Text>
      </Text>
    </Box>
  );
}
