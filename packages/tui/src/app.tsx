import { useEffect, useReducer, useRef } from 'react';
import { Box, useApp } from 'ink';
import type { Language, SessionEndReason } from '@annuaire/protocol';
import { ConfirmDialog } from './components/ConfirmDialog';
import { DataDirContext } from './components/EmbeddedNote';
import { isHelpKey } from './components/Help';
import { FrameOverlay } from './components/Overlay';
import { layoutFor, LayoutContext } from './components/layout';
import { StatusBar } from './components/StatusBar';
import { ConnectionProvider, useConnection } from './hooks/useConnection';
import { isCtrl, KeypressProvider, PRIORITY, useKeypress } from './hooks/useKeypress';
import { useTerminalSize } from './hooks/useTerminalSize';
import { I18nProvider, useT } from './i18n';
import { clearNotice, notify, type Route } from './state/actions';
import type { ServerClient } from './client/serverClient';
import type { PinOutcome } from './tls/knownHosts';
import { AppStateProvider, useAppState } from './state/context';
import { currentRoute, initialState, reducer } from './state/reducer';
import { Account } from './screens/Account';
import { ContactForm } from './screens/ContactForm';
import { Contacts } from './screens/Contacts';
import { CreateAccount } from './screens/CreateAccount';
import { Home } from './screens/Home';
import { Login } from './screens/Login';
import { Search } from './screens/Search';
import { Transfer } from './screens/Transfer';
import { Unreachable } from './screens/Unreachable';
import { Welcome } from './screens/Welcome';

export interface AppProps {
  connection: ServerClient;
  lang: Language;
  /** Set when the server runs inside this process: shown in the status bar. */
  dataDir?: string | undefined;
  /** Called once when the user quits, just before Ink exits. */
  onQuit?: () => void;
  /** With TLS: where pinned certificates live (named when one changes). */
  knownHostsFile?: string | undefined;
  /** With --ca: the CA file (named when the server's certificate is refused). */
  caFile?: string | undefined;
}

/** Providers, then the shell. The connection is made (and closed) by whoever renders this. */
export function App({ connection, lang, dataDir, onQuit, knownHostsFile, caFile }: AppProps) {
  const [state, dispatch] = useReducer(reducer, initialState);
  return (
    <I18nProvider lang={lang}>
      <ConnectionProvider connection={connection}>
        <AppStateProvider state={state} dispatch={dispatch}>
          <KeypressProvider>
            <Shell dataDir={dataDir} onQuit={onQuit} knownHostsFile={knownHostsFile} caFile={caFile} />
          </KeypressProvider>
        </AppStateProvider>
      </ConnectionProvider>
    </I18nProvider>
  );
}

function renderRoute(route: Route) {
  switch (route.name) {
    case 'welcome':
      return <Welcome />;
    case 'createAccount':
      return <CreateAccount />;
    case 'login':
      return <Login username={route.username} />;
    case 'home':
      return <Home />;
    case 'search':
      return <Search />;
    case 'contacts':
      return <Contacts initialQuery={route.query} initialSelected={route.selected} focus={route.focus} />;
    case 'contactForm':
      return <ContactForm contact={route.contact} draft={route.draft} />;
    case 'transfer':
      return <Transfer />;
    case 'account':
      return <Account />;
  }
}

function Shell({ dataDir, onQuit, knownHostsFile, caFile }: { dataDir: string | undefined; onQuit: (() => void) | undefined; knownHostsFile: string | undefined; caFile: string | undefined }) {
  const t = useT();
  const { exit } = useApp();
  const { state, dispatch, draft } = useAppState();
  const { conn, state: connState, username, address } = useConnection();
  const { columns, rows } = useTerminalSize();

  // Ctrl+C quits from anywhere, asking first when a form holds unsaved input.
  useKeypress(
    (event) => {
      if (!isCtrl(event, 'c')) return false;
      dispatch(state.confirmingQuit ? { type: 'quit' } : { type: 'askQuit' });
      return true;
    },
    { priority: PRIORITY.global },
  );

  // Help: F1 from anywhere, first; « ? » last, when no screen took it as text.
  useKeypress((event) => (isHelpKey(event, { questionMark: false }) && !state.helpOpen ? (dispatch({ type: 'help', open: true }), true) : false), { priority: PRIORITY.global });
  useKeypress((event) => (isHelpKey(event, { questionMark: true }) && !state.helpOpen ? (dispatch({ type: 'help', open: true }), true) : false), { priority: -1 });

  // A notice says what just happened (« Connexion réussie. »): the user's next key makes it old news.
  // Errors stay until they stop being true or the screen changes.
  useKeypress(
    () => {
      if (state.notice?.tone === 'info') dispatch(clearNotice());
      return false;
    },
    { priority: PRIORITY.global + 1 },
  );

  useEffect(() => {
    if (!state.quitting) return;
    onQuit?.();
    exit();
  }, [state.quitting, exit, onQuit]);

  const goodbye = useRef<string | null>(null);
  useEffect(() => {
    const onLost = (username: string, reason: SessionEndReason | undefined) => {
      const kept = draft.current;
      // The server's reason when it pushed session_ended; else (found on a request) every possible one.
      const text = t(reason ? `conn.ended.${reason}` : 'conn.sessionEnded') + (kept ? ` ${t('conn.draftKept')}` : '');
      dispatch({ type: 'sessionEnded', username, notice: { text, tone: 'error' }, draft: kept });
    };
    const onGoodbye = (message: string) => {
      goodbye.current = t('conn.goodbye', { message });
      dispatch(notify(goodbye.current, 'error'));
    };
    const onTrust = (outcome: PinOutcome) => {
      if (outcome.kind === 'first-use') dispatch(notify(t('tls.firstUse', { fingerprint: outcome.fingerprint })));
    };
    conn.on('sessionLost', onLost);
    conn.on('goodbye', onGoodbye);
    conn.on('trust', onTrust);
    return () => {
      conn.off('sessionLost', onLost);
      conn.off('goodbye', onGoodbye);
      conn.off('trust', onTrust);
    };
  }, [conn, dispatch, draft, t]);

  // Once the link is back, the server's goodbye that explained the drop, or « Pas de connexion », is stale.
  useEffect(() => {
    if (connState !== 'online' || !state.notice) return;
    if (state.notice.text === goodbye.current || state.notice.text === t('conn.notConnected')) dispatch(clearNotice());
  }, [connState, dispatch, state.notice, t]);

  const route = currentRoute(state);
  // Before the first successful connection there is nothing to show but the connection itself.
  const showScreen = connState === 'online' || connState === 'reconnecting';
  // The route's identity as a key: going back to a screen starts it afresh.
  const key = `${state.stack.length}:${route.name}`;
  return (
    <LayoutContext.Provider value={layoutFor(columns, rows)}>
      <DataDirContext.Provider value={dataDir}>
        <Box flexDirection="column" width={columns} height={rows - 1}>
          <StatusBar username={username} address={address} state={connState} dataDir={dataDir} secure={conn.secure} columns={columns} />
          <Box key={key} flexDirection="column" flexGrow={1}>
            {showScreen ? renderRoute(route) : <Unreachable knownHostsFile={knownHostsFile} caFile={caFile} />}
          </Box>
          {/* Over the screen, which stays mounted and in view: nothing typed is lost behind the question. */}
          {state.confirmingQuit ? (
            <FrameOverlay>
              <ConfirmDialog message={t('quit.confirm')} onYes={() => dispatch({ type: 'quit' })} onNo={() => dispatch({ type: 'cancelQuit' })} />
            </FrameOverlay>
          ) : state.confirmingBack !== null ? (
            <FrameOverlay>
              <ConfirmDialog message={t('back.confirm')} onYes={() => dispatch({ type: 'confirmBack' })} onNo={() => dispatch({ type: 'cancelBack' })} />
            </FrameOverlay>
          ) : null}
        </Box>
      </DataDirContext.Provider>
    </LayoutContext.Provider>
  );
}
