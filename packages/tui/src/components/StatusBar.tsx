import { Box, Text } from 'ink';
import type { ConnState } from '../client/serverClient';
import { useT, type Translate } from '../i18n';

const COLORS: Record<ConnState, string> = { connecting: 'yellow', online: 'green', reconnecting: 'yellow', unreachable: 'red' };
const LABELS = { connecting: 'status.connecting', online: 'status.online', reconnecting: 'status.reconnecting', unreachable: 'status.offline' } as const;

const width = (s: string) => [...s].length;

export interface StatusText {
  /** Shown bold in cyan, or '' when there is no room for it. */
  title: string;
  user: string;
  server: string;
  /** "TLS " or ''. */
  tls: string;
  state: string;
}

/**
 * What the status line says in `columns` cells. The user, the server's address and the link's
 * state always show whole (the user is cut only on a terminal too narrow for anything else);
 * the app's name, the word "server" and the embedded server's data directory come along when there is room.
 */
export function statusText(t: Translate, columns: number, o: { username: string | null; address: string; state: ConnState; dataDir?: string | undefined; secure?: boolean }): StatusText {
  const user = o.username ?? t('status.anonymous');
  const tls = o.secure ? `${t('tls.on')} ` : '';
  const state = `● ${t(LABELS[o.state])}`;
  const servers = [
    ...(o.dataDir ? [t('app.serverEmbedded', { address: o.address, dataDir: o.dataDir }), t('app.serverEmbeddedShort', { address: o.address })] : []),
    t('app.server', { address: o.address }),
    o.address,
  ];
  const rightOf = (server: string) => width(server) + 1 + width(tls) + width(state);
  const narrowest = rightOf(o.address);
  const title = `${t('app.title')} · `;
  const withTitle = width(title) + width(user) + 1 + narrowest <= columns;
  const left = withTitle ? width(title) + width(user) : Math.min(width(user), Math.max(1, columns - 1 - narrowest));
  const shownUser = width(user) <= left ? user : [...user].slice(0, Math.max(0, left - 1)).join('') + '…';
  const server = servers.find((s) => left + 1 + rightOf(s) <= columns) ?? o.address;
  return { title: withTitle ? title : '', user: shownUser, server, tls, state };
}

/** The top line: app name, who is logged in, which server, and whether the link is up. */
/** `dataDir` is set when the server runs inside this process (no server answered on the default address). */
export function StatusBar({ username, address, state, dataDir, secure = false, columns = 80 }: { username: string | null; address: string; state: ConnState; dataDir?: string | undefined; secure?: boolean; columns?: number }) {
  const t = useT();
  const s = statusText(t, columns, { username, address, state, dataDir, secure });
  return (
    <Box flexShrink={0} justifyContent="space-between" width={columns}>
      <Text wrap="truncate-end">
        {s.title ? (
          <>
            <Text bold color="cyan">
              {t('app.title')}
            </Text>
            <Text> · </Text>
          </>
        ) : null}
        <Text bold={username !== null}>{s.user}</Text>
      </Text>
      <Text wrap="truncate-start">
        <Text dimColor>{s.server} </Text>
        {secure ? <Text color="green">{s.tls}</Text> : null}
        <Text color={COLORS[state]}>{s.state}</Text>
      </Text>
    </Box>
  );
}
