import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import { useConnection } from '../hooks/useConnection';
import { typography, useLang, useT } from '../i18n';
import { useAppState } from '../state/context';
import { formEditingKeys } from './formKeys';
import { editingHelp, HelpPanel } from './Help';
import { KeyFooter } from './KeyFooter';
import { NOTICE_LINES, useLayout } from './layout';
import { Overlay } from './Overlay';

/**
 * The frame every screen uses: its title, its body (clipped to the lines available), two lines for
 * the current notice (or the connection-lost banner), and the footer listing the screen's keys.
 * `dialog` shows over the body (see Overlay) without unmounting it, so nothing typed is lost behind a question.
 */
export function Screen({ title, keys, help, dialog, dialogWidth, children }: { title: string; keys: string[]; help?: string[]; dialog?: ReactNode; dialogWidth?: number; children: ReactNode }) {
  const t = useT();
  const lang = useLang();
  const { bodyHeight } = useLayout();
  const { state, dispatch } = useAppState();
  // The help (F1 or ?) lists every key of this screen: its own list, else the footer's, with the
  // editing keys when the screen has a form.
  const formKeys = formEditingKeys(t);
  const isForm = keys.includes(t('keys.submit'));
  const helpLines = [...(help ?? (isForm ? [...editingHelp(t), ...keys.filter((k) => !formKeys.includes(k))] : keys)), t('keys.quit')];
  const shownDialog = state.helpOpen ? <HelpPanel lines={helpLines} onClose={() => dispatch({ type: 'help', open: false })} /> : dialog;
  const { state: conn, retryInMs, address } = useConnection();
  const banner =
    conn === 'reconnecting'
      ? { text: t('conn.lost', { address, seconds: Math.max(1, Math.ceil(retryInMs / 1000)) }), tone: 'error' as const }
      : state.notice;
  return (
    <Box flexDirection="column" flexGrow={1}>
      <Text bold underline>
        {title}
      </Text>
      <Box flexDirection="column" height={bodyHeight} overflow="hidden">
        {children}
        {shownDialog ? <Overlay width={state.helpOpen ? undefined : dialogWidth}>{shownDialog}</Overlay> : null}
      </Box>
      <Box height={NOTICE_LINES} flexShrink={0} alignItems="flex-end" overflow="hidden">
        {banner ? (
          <Text color={banner.tone === 'error' ? 'red' : 'green'} wrap="wrap">
            {/* Server messages too get French typography. */}
            {typography(lang, banner.text)}
          </Text>
        ) : null}
      </Box>
      <KeyFooter keys={[...keys, t('keys.help'), t('keys.quit')]} />
    </Box>
  );
}
